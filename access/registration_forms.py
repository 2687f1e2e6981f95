"""Forms of self-registration, password reset, link confirmation and staff import."""

from django import forms
from django.contrib.auth.password_validation import validate_password

from accounts.models import User

CODE_WIDGET = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True})


class RegistrationForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=20, strip=True)
    name = forms.CharField(label="姓名", max_length=40, strip=True)
    phone = forms.CharField(label="手机号码", max_length=20, strip=True,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(label="新密码", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="至少10位，不能全是数字，不能与姓名、用户名相近。")
    password2 = forms.CharField(label="再次输入新密码", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, user_for_validation: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_for_validation = user_for_validation

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致。")
        elif first:
            try:
                validate_password(first, self.user_for_validation)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class CodeAndPasswordForm(NewPasswordMixin):
    code = forms.CharField(label="短信验证码", max_length=10, strip=True, widget=CODE_WIDGET)
    field_order = ["code", "password1", "password2"]


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(label="身份证号码或用户名", max_length=150, strip=True)
    channel = forms.ChoiceField(label="接收方式", choices=[("sms", "短信验证码（发送到账号登记的手机）"),
                                                          ("email", "邮件链接（发送到账号登记的电子邮箱）")],
                                initial="sms", widget=forms.RadioSelect)


class LinkDecisionForm(forms.Form):
    reason = forms.CharField(label="说明", max_length=200, required=False)


class StaffImportForm(forms.Form):
    file = forms.FileField(label="账号导入表（.xlsx）")

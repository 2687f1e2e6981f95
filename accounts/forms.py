from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.audit import is_locked_out

GENERIC_REFUSAL = "用户名或密码不正确，或登录失败次数过多已被暂时锁定，请 15 分钟后再试。"


class LockoutAuthenticationForm(AuthenticationForm):
    """Refuses sign-in after repeated failures, saying nothing about whether the user exists."""

    error_messages = {
        "invalid_login": GENERIC_REFUSAL,
        "inactive": GENERIC_REFUSAL,
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        if username and is_locked_out(username):
            raise forms.ValidationError(GENERIC_REFUSAL, code="invalid_login")
        return super().clean()


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(label="验证码", max_length=10, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))

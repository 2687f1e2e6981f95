from django import forms

from api.models import Scope


class ClientForm(forms.Form):
    organisation = forms.ModelChoiceField(label="所属单位", queryset=None)
    name = forms.CharField(label="客户端名称", max_length=100)
    scopes = forms.MultipleChoiceField(label="权限范围", choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    webhook_url = forms.URLField(label="状态变更回调地址（可选，https）", required=False, max_length=300,
                                   assume_scheme="https")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from accounts.signin import GENERIC_REFUSAL, SerialisedSignIn, SignInForm

__all__ = ["AdminSignInForm", "GENERIC_REFUSAL", "SecondFactorCodeForm", "SignInForm"]


class AdminSignInForm(SerialisedSignIn, AdminAuthenticationForm):
    """The admin's login page: the same lockout (django-axes) and serialised check as ours."""


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(label="验证码", max_length=10, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))

"""{% load accounts_sso %}{% oidc_enabled as on %}: whether government single sign-on is configured."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))

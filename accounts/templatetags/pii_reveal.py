"""{% load pii_reveal %} … {% reveal_id entry.id_number entry %}   {% reveal_phone entry.phone entry %}

The target is a model instance (audited as "filings.rosterentry:42") or any text. Shows the full ID number (or phone, with reveal_phone) to holders of accounts.view_full_personal_data,
writing an audit row each time it is rendered; everyone else sees the masked value.
"""

from django import template

from accounts.pii import mask_phone, pii_reveal

register = template.Library()


def target_label(target) -> str:
    meta = getattr(target, "_meta", None)
    if meta is not None and getattr(target, "pk", None) is not None:
        return f"{meta.label_lower}:{target.pk}"
    return str(target)


def _reveal(context, value, target, *, mask=None, field: str) -> str:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    options = {"mask": mask} if mask else {}
    return pii_reveal(user=user, value=value, target=target_label(target), request=request, field=field, **options)


@register.simple_tag(takes_context=True)
def reveal_id(context, value, target) -> str:
    return _reveal(context, value, target, field="id_number")


@register.simple_tag(takes_context=True)
def reveal_phone(context, value, target) -> str:
    return _reveal(context, value, target, mask=mask_phone, field="phone")

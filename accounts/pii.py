"""Personal data shown masked by default (PIPL): ID numbers and phone numbers.

The full value is shown only through `pii_reveal`, to holders of `accounts.view_full_personal_data`,
and every showing leaves an audit row (kind "unmask").
"""

from __future__ import annotations

from collections.abc import Callable

from accounts.audit import audit_record
from accounts.models import AuditEvent

VIEW_FULL_PERSONAL_DATA = "accounts.view_full_personal_data"


def mask_id_number(value: str | None) -> str:
    """150102********1234: the address code and the last four stay, the birth date goes."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str | None) -> str:
    """138****5678 for a mobile; a landline keeps its area code and last two digits."""
    if not value:
        return ""
    value = str(value)
    digits = [c for c in value if c.isdigit()]
    if len(digits) == 11 and value.isdigit():
        return f"{value[:3]}****{value[-4:]}"
    if len(value) <= 4:
        return "*" * len(value)
    keep_head = value.index("-") + 1 if "-" in value[:6] else 3
    return f"{value[:keep_head]}{'*' * (len(value) - keep_head - 2)}{value[-2:]}"


def mask_name(value: str | None) -> str:
    """张*明 / 巴** : the first character stays, for public pages."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def pii_reveal(*, user, value: str | None, target: str, request=None,
               mask: Callable[[str | None], str] = mask_id_number, field: str = "id_number") -> str:
    """The full value for a user holding the permission (audited each time); the masked value otherwise.

    `target` names whose data it is, e.g. "roster_entry:42" or "person:150404…"; it goes in the audit row,
    the value itself does not.
    """
    if not value:
        return ""
    if user is None or not user.has_perm(VIEW_FULL_PERSONAL_DATA):
        return mask(value)
    audit_record(kind=AuditEvent.Kind.UNMASK, actor=user, request=request, target=target, field=field)
    return str(value)

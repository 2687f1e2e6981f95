"""Who acts for an organisation. The apps' own permission modules (filings.permissions, ledger)
build on these, so that "the organiser of X" is decided in one place."""

from __future__ import annotations

from accounts.models import Role


def is_organiser_of(user, organisation_id: int | None) -> bool:
    """An active 培训组织经办人 of that organisation."""
    return bool(
        organisation_id
        and user.is_active
        and user.role == Role.ORGANISER
        and user.organisation_id == organisation_id
    )


def is_reviewer_of(user, organisation_id: int | None) -> bool:
    """An active 审核人员 of that authority."""
    return bool(
        organisation_id
        and user.is_active
        and user.role == Role.REVIEWER
        and user.organisation_id == organisation_id
    )

"""Scope: which organisations and divisions a user may see. Deny by default.

Every other app's `*_visible_to(user)` selector builds on these two functions, so
that the rules of scope live in one place.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role, User

# Roles that act for an authority over a subtree of the jurisdiction.
AUTHORITY_ROLES = (Role.REVIEWER, Role.INSPECTOR)


def scope_q(user: User, *, organisation_field: str) -> Q:
    """A filter on `organisation_field` (a path to an Organisation; "" for Organisation itself).

    - administrators: everything;
    - reviewers and inspectors: organisations at their organisation's node and below;
    - organisers: their own organisation only;
    - everyone else (and anyone inactive or anonymous): nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    prefix = f"{organisation_field}__" if organisation_field else ""
    if user.role in AUTHORITY_ROLES and user.organisation_id:
        return Q(**{f"{prefix}division__path__startswith": user.organisation.division.path})
    if user.role == Role.ORGANISER and user.organisation_id:
        return Q(**{f"{prefix}pk": user.organisation_id})
    return Q(pk__in=[])


def is_authority_over(user: User, organisation) -> bool:
    """True when the user reviews or inspects for the node where `organisation` sits (or above)."""
    if not user.is_active or user.role not in AUTHORITY_ROLES or not user.organisation_id:
        return False
    return organisation.division.path.startswith(user.organisation.division.path)


def organisation_staff(organisation_id: int | None, role: str) -> list[int]:
    """Active accounts of `role` in the organisation (those told about its filings' decisions)."""
    if organisation_id is None:
        return []
    return list(User.objects.filter(role=role, organisation_id=organisation_id, is_active=True)
                .values_list("pk", flat=True))

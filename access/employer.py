"""The employer's view (用人单位查看本单位人员学时): who an employer's HR may see, and the records that allow it.

A person is visible to an employer's HR when the person lists that employer (Person.employer_organisation)
AND an active EmployerAccess for that employer exists: the person's own consent, or a link made by an
authority over the employer. Either side can end it; rows are never deleted.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from access.models import EmployerAccess
from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from accounts.selectors import is_authority_over
from ledger.models import Person


def _active(organisation_id) -> QuerySet[EmployerAccess]:
    return EmployerAccess.objects.filter(organisation_id=organisation_id, revoked_at__isnull=True)


def staff_persons_visible_to(user: User) -> QuerySet[Person]:
    """Employer HR: its staff who consented or were linked; everyone else: nobody (deny by default)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.EMPLOYER_HR) or not user.organisation_id:
        return Person.objects.none()
    allowed = _active(user.organisation_id).filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(allowed), employer_organisation_id=user.organisation_id).order_by("name", "pk")


def may_link(actor: User, person: Person) -> bool:
    """An administrator, or an authority over the person's employer."""
    if person.employer_organisation_id is None:
        return False
    return actor.has_role(Role.ADMIN) or is_authority_over(actor, person.employer_organisation)


def employer_access_grant(*, person: Person, actor: User, request=None) -> EmployerAccess:
    """The person consents (actor is the person's account) or an authority links (actor is over the employer)."""
    if person.employer_organisation_id is None:
        raise ValueError("学时台账中未登记该人员的所在单位，无法授权。请联系主管部门核实所在单位。")
    if person.user_id is not None and person.user_id == actor.pk:
        basis = EmployerAccess.Basis.CONSENT
    elif may_link(actor, person):
        basis = EmployerAccess.Basis.AUTHORITY
    else:
        raise PermissionDenied("只有本人或所在单位的主管部门可以授权用人单位查看学时。")
    try:
        with transaction.atomic():
            access = EmployerAccess.objects.create(person=person, organisation_id=person.employer_organisation_id,
                                                   basis=basis, granted_by=actor)
    except IntegrityError:
        raise ValueError("所在单位已可查看该人员的学时。") from None
    audit_record(kind=AuditEvent.Kind.EMPLOYER_ACCESS, actor=actor, request=request, target=f"person:{person.pk}",
                 action="grant", basis=basis, organisation=person.employer_organisation_id)
    return access


def employer_access_revoke(*, access: EmployerAccess, actor: User, request=None) -> EmployerAccess:
    with transaction.atomic():
        locked = EmployerAccess.objects.select_for_update().select_related("person").get(pk=access.pk)
        if not (locked.person.user_id == actor.pk or may_link(actor, locked.person)):
            raise PermissionDenied("只有本人或所在单位的主管部门可以撤销授权。")
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(kind=AuditEvent.Kind.EMPLOYER_ACCESS, actor=actor, request=request,
                         target=f"person:{locked.person_id}", action="revoke", organisation=locked.organisation_id)
    return locked


def active_access(person: Person) -> EmployerAccess | None:
    if person.employer_organisation_id is None:
        return None
    return _active(person.employer_organisation_id).filter(person=person).first()


def accesses_linked_by(actor: User) -> QuerySet[EmployerAccess]:
    """Active links an authority (or an administrator) may see and end: employers in its subtree."""
    qs = EmployerAccess.objects.filter(revoked_at__isnull=True).select_related("person", "organisation", "granted_by")
    if actor.has_role(Role.ADMIN):
        return qs
    if actor.has_role(Role.REVIEWER) and actor.organisation_id:
        return qs.filter(organisation__division__path__startswith=actor.organisation.division.path)
    return qs.none()

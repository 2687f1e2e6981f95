"""Self-registration of professionals (专业技术人员自助注册) and the link from an account to the ledger.

An SMS code proves only the phone. The account reaches the ledger's person with its ID number when
the phone is one the ledger holds for that number (a roster's 联系电话), or when the person's employer
HR or an authority confirms a link request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.contrib.auth import signals
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

from access.codes import CodeResult, phone_code_check, phone_code_create, send_allowed
from access.models import AccountIdentity, PersonLinkRequest, PhoneCode
from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from accounts.pii import mask_phone
from accounts.selectors import is_authority_over
from filings.models import RosterEntry
from ledger.models import HourEntry, Person
from notifications import sms
from rules.idnumber import normalise_id_number, parse_normalised_id_number

NAME = re.compile(r"^(?=.*[\u4e00-\u9fffA-Za-z])[^<>&\"'\x00-\x1f]{2,40}$")


class RegistrationError(ValueError):
    """Input that cannot be registered; the message names the field's problem in Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def clean_registration(*, id_number: str, name: str, phone: str) -> tuple[str, str, str]:
    """Normalised (ID number, name, mobile) or RegistrationError naming the field."""
    number = normalise_id_number(id_number or "")
    try:
        parse_normalised_id_number(number)
    except ValueError as exc:
        raise RegistrationError("id_number", str(exc)) from None
    name = (name or "").strip()
    if not NAME.match(name):
        raise RegistrationError("name", "请填写身份证上的姓名（2至40个汉字或字母）。")
    phone = re.sub(r"[\s-]", "", phone or "")
    if not sms.MOBILE.match(phone):
        raise RegistrationError("phone", "请填写11位大陆手机号码。")
    return number, name, phone


def registration_start(*, id_number: str, name: str, phone: str, ip: str | None,
                       now: dt.datetime | None = None) -> PhoneCode:
    """Ask for a code. The answer is the same whether or not the ID number already has an account.

    1. Validate and count the send against the number and the address (RateLimited past the limit).
    2. Make the code row (its code is sent only when the number has no account).
    3. No account: the code goes to the phone. An account: its holder's phone is told how to recover it,
       and the registrant gets nothing usable (the row's code is never sent).
    4. Audit row (the ID number and phone stay out of it).
    """
    number, name, phone = clean_registration(id_number=id_number, name=name, phone=phone)
    send_allowed(subject=phone, ip=ip)
    row, code = phone_code_create(purpose=PhoneCode.Purpose.REGISTER, phone=phone, ip=ip, now=now,
                                  id_number=number, name=name)
    holder = AccountIdentity.objects.select_related("user").filter(id_number=number).first()
    minutes = settings.ACCOUNTS_CODE_TTL_SECONDS // 60
    if holder is None:
        sms.sms_send(phone=phone, template="verification", params={"code": code, "minutes": minutes})
    elif holder.user.phone and notice_allowed(holder.user.phone):
        sms.sms_send(phone=holder.user.phone, template="account_exists", params={"site": settings.SITE_URL[:35]})
    audit_code_sent(row, account_exists=holder is not None)
    return row


def notice_allowed(phone: str) -> bool:
    """At most one "this number already has an account" SMS an hour to a holder, silently: refusing
    aloud would tell the registrant that the account exists."""
    key = hashlib.sha256(f"accounts:holder:{phone}".encode()).hexdigest()[:32]
    return cache.add(f"sms-holder:{key}", 1, 3600)


def audit_code_sent(row: PhoneCode, *, account_exists: bool) -> None:
    AuditEvent.objects.create(kind=AuditEvent.Kind.CODE_SENT, ip=row.ip, target=f"phone_code:{row.pk}",
                              detail={"purpose": row.purpose, "phone": mask_phone(row.phone),
                                      "account_exists": account_exists})


def registration_complete(*, pk: int, code: str, password: str, request=None,
                          now: dt.datetime | None = None) -> tuple[CodeResult, User | None]:
    """Confirm the code and make the account, with its ID number, in one transaction.

    A wrong code is counted (the row dies after the attempt limit); an expired, used or dead one
    answers EXPIRED. The account is made only when no account has the ID number; otherwise the
    registrant, who cannot have received a code, is told the code is wrong like anyone else.
    """
    with transaction.atomic():
        result, row = phone_code_check(pk=pk, purpose=PhoneCode.Purpose.REGISTER, code=code, now=now)
        if result is not CodeResult.ACCEPTED:
            return result, None
        try:
            with transaction.atomic():
                user = User(username=row.id_number, display_name=row.name, phone=row.phone, role=Role.PROFESSIONAL)
                user.set_password(password)
                user.save()
                AccountIdentity.objects.create(user=user, id_number=row.id_number)
        except IntegrityError:
            return CodeResult.WRONG, None
        audit_record(kind=AuditEvent.Kind.REGISTRATION, actor=user, request=request, target=f"user:{user.pk}",
                     phone=mask_phone(row.phone))
        account_link_attempt(user=user, request=request)
    return result, user


# --- the link from an account to the ledger's person -------------------------------------------------


def ledger_phones(id_number: str) -> set[str]:
    """Every 联系电话 the ledger holds for an ID number (the rosters it was certified from)."""
    return set(RosterEntry.objects.filter(id_number=id_number).exclude(phone="").values_list("phone", flat=True))


def account_link_attempt(*, user: User, request=None) -> str:
    """Link a registered account to its person when the phone matches; else ask for confirmation.

    Returns "linked", "pending", "already" or "none" (no person with that ID number yet: tried again
    at each sign-in, so hours certified later are found then).
    """
    identity = AccountIdentity.objects.filter(user=user).first()
    if identity is None or user.role != Role.PROFESSIONAL:
        return "none"
    person = Person.objects.filter(id_number=identity.id_number).first()
    if person is None:
        return "none"
    if person.user_id == user.pk:
        return "already"
    if person.user_id is None and user.phone and user.phone in ledger_phones(person.id_number):
        if person_user_link(person=person, user=user):
            audit_record(kind=AuditEvent.Kind.ACCOUNT_LINK, actor=user, request=request, target=f"person:{person.pk}",
                         basis="phone_match")
            return "linked"
    _, created = PersonLinkRequest.objects.get_or_create(user=user, person=person,
                                                         status=PersonLinkRequest.Status.PENDING)
    if created:
        audit_record(kind=AuditEvent.Kind.ACCOUNT_LINK, actor=user, request=request, target=f"person:{person.pk}",
                     basis="requested")
    return "pending"


def person_user_link(*, person: Person, user: User) -> bool:
    # A conditional update: two accounts racing for one person, only one wins. (The ledger owns
    # Person rows; this is the one field accounts writes, and only from empty.)
    return Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user) == 1


def can_confirm_link(user: User, person: Person) -> bool:
    """Administrators; the person's employer HR; a reviewer over the employer or who certified the hours."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    employer = person.employer_organisation
    if user.role == Role.EMPLOYER_HR:
        return employer is not None and user.organisation_id == employer.pk
    if user.role == Role.REVIEWER and user.organisation_id:
        if employer is not None and is_authority_over(user, employer):
            return True
        path = user.organisation.division.path
        return HourEntry.objects.filter(person=person, authority__division__path__startswith=path).exists()
    return False


def link_requests_visible_to(user: User) -> QuerySet[PersonLinkRequest]:
    qs = PersonLinkRequest.objects.select_related("user", "person", "person__employer_organisation", "decided_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    if user.role == Role.EMPLOYER_HR and user.organisation_id:
        return qs.filter(person__employer_organisation_id=user.organisation_id)
    if user.role == Role.REVIEWER and user.organisation_id:
        path = user.organisation.division.path
        certified = HourEntry.objects.filter(authority__division__path__startswith=path).values("person_id")
        return qs.filter(Q(person__employer_organisation__division__path__startswith=path) | Q(person_id__in=certified))
    return qs.none()


def link_request_decide(*, link_request: PersonLinkRequest, actor: User, confirm: bool, reason: str = "",
                        request=None) -> PersonLinkRequest:
    """Confirm (link the account to the person) or refuse a pending request, with an audit row."""
    with transaction.atomic():
        locked = PersonLinkRequest.objects.select_for_update().select_related("person", "user").get(pk=link_request.pk)
        if not can_confirm_link(actor, locked.person):
            raise PermissionDenied("只有该人员所在单位的人事经办人或主管部门可以确认账号关联。")
        if locked.status != PersonLinkRequest.Status.PENDING:
            raise ValueError("该申请已处理。")
        if locked.user_id == actor.pk:
            raise PermissionDenied("不能确认本人的账号关联。")
        if confirm and not person_user_link(person=locked.person, user=locked.user):
            raise ValueError("该人员已关联其他账号，请先在管理后台解除原关联。")
        if not confirm and not reason.strip():
            raise ValueError("不通过时请填写理由。")
        locked.status = PersonLinkRequest.Status.CONFIRMED if confirm else PersonLinkRequest.Status.REFUSED
        locked.decided_by, locked.decided_at, locked.reason = actor, timezone.now(), reason.strip()[:200]
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit_record(kind=AuditEvent.Kind.ACCOUNT_LINK, actor=actor, request=request,
                     target=f"person:{locked.person_id}", basis="confirmed" if confirm else "refused",
                     account=locked.user_id)
    return locked


@receiver(signals.user_logged_in)
def _link_on_sign_in(sender, request, user, **kwargs):
    """Hours certified after registration are found at the next sign-in."""
    if user.role == Role.PROFESSIONAL and not Person.objects.filter(user=user).exists():
        account_link_attempt(user=user, request=request)

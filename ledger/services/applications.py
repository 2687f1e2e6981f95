"""Credit applications (学时认定申请) and circumstance records (学时减免情形登记), reviewed four-eyes.

Both are filed with evidence, routed by `ledger.selectors.application_authority` (a credit application
to whoever certifies hours by the rules: the HR bureau, or a region-level unit's own HR department; a
circumstance to the HR bureau), wait there as a review task, may be returned with a reason and
resubmitted, and are approved or rejected four eyes by person (`can_decide`). Approval writes the ledger through `ledger.services.entries`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from ledger import review_tasks
from ledger.models import (
    ApplicationState,
    ApplicationTransition,
    CircumstanceApplication,
    CreditApplication,
    Person,
    PersonFlag,
    Source,
)
from ledger.selectors import (
    application_authority,
    application_decided_by_employer,
    persons_acted_for,
    policy_for_person,
)
from ledger.services.entries import (
    Credit,
    PersonData,
    hour_entries_credit,
    person_flag_record,
    person_link_employer,
    persons_ensure,
)
from rules.engine.types import FLAG_LABELS
from rules.idnumber import normalise_id_number
from rules.selectors import NoRuleSetInForce
from sheets.documents import validate_document

EVIDENCE_TYPES = ("pdf", "jpg", "jpeg", "png")
CONDITION_LABELS = {
    "prior_approval": "主管部门事先审核同意自行组织培训的文号",
    "department_consent": "行业主管部门同意（认可）的文号",
    "high_skill_title": "高技能人才申报职称的证明（文号）",
}
NEEDS_YEAR = {PersonFlag.Code.EPIDEMIC_FRONTLINE, PersonFlag.Code.TRANSFERRED_FROM_ORGAN,
              PersonFlag.Code.UNIT_PLAN_FILED}
NEEDS_CONDITIONS = {
    PersonFlag.Code.POSTDOC_RETAINED: "请写明在站期间获得的博士后科学基金资助或主持的省部级以上科研项目。",
    PersonFlag.Code.LEFT_TO_START_BUSINESS: "请写明离岗创业的批准文号和考核结果。",
}


@dataclass(frozen=True)
class CreditData:
    source: str
    subject: str
    title: str
    certificate_date: date
    hours: int | None = None
    minutes: int | None = None
    approval_reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class CircumstanceData:
    code: str
    effective_from: date
    effective_to: date | None = None
    year: int | None = None
    post_start_year: int | None = None
    conditions: str = ""
    note: str = ""


# --- checks ------------------------------------------------------------------------------------

def _require_filer(person: Person, actor: User, *, circumstance: bool) -> None:
    allowed = (Role.EMPLOYER_HR, Role.REVIEWER) if circumstance else (Role.PROFESSIONAL, Role.EMPLOYER_HR)
    if actor.role not in allowed or not persons_acted_for(actor).filter(pk=person.pk).exists():
        who = "所在单位人事部门或审核部门" if circumstance else "本人或所在单位人事部门"
        raise PermissionDenied(f"只有{who}可以为 {person.name} 办理此事项。")


def can_decide(application, actor: User) -> bool:
    """Four eyes by person: never who filed it nor the person. Where the rules name the person's own unit
    (application_decided_by_employer), another HR clerk of that unit; else a reviewer of the authority who
    does not work for the person's employer."""
    if not actor.is_active or actor.organisation_id != application.authority_id:
        return False
    if application.filed_by_id == actor.pk or application.person.user_id == actor.pk:
        return False
    if application_decided_by_employer(application):
        return actor.role == Role.EMPLOYER_HR
    return actor.role == Role.REVIEWER and application.person.employer_organisation_id != actor.organisation_id


def _require_decider(application, actor: User) -> None:
    if actor.is_active and application.filed_by_id == actor.pk:
        raise PermissionDenied("申报人不能审核本人提交的申请，请由审核部门其他人员审核。")
    if not can_decide(application, actor):
        raise PermissionDenied("只有按照管理权限负责认定该申请的单位人员可以办理（审核部门不能审核本单位人员的申请，"
                               "本人不能审核本人的申请）。")


def _evidence(uploaded_file) -> str:
    if uploaded_file is None:
        raise ValidationError({"evidence": "请上传证明材料（证书扫描件或 PDF）。"})
    ext, _content_type = validate_document(uploaded_file)
    if ext not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": f"证明材料“{uploaded_file.name}”格式不支持：请上传 PDF、JPG 或 PNG 文件。"})
    return ext


def _store_evidence(application, uploaded_file, ext: str) -> None:
    application.evidence_name = (uploaded_file.name or "")[:200]
    uploaded_file.seek(0)
    application.evidence.save(f"{uuid.uuid4().hex}.{ext}", uploaded_file, save=False)


def credited_hours(*, person: Person, data: CreditData) -> tuple[int, str]:
    """(hours the credit carries, rule set code) under the rule set in force for the person's division on
    the certificate's date; ValidationError naming the field when the set does not allow it."""
    if data.certificate_date > timezone.localdate():
        raise ValidationError({"certificate_date": "证书日期不能晚于今天。"})
    try:
        policy = policy_for_person(person, data.certificate_date)
    except NoRuleSetInForce as error:
        raise ValidationError({"certificate_date": str(error)}) from None
    spec = policy.params.get("credit_sources", {}).get(data.source)
    label = Source(data.source).label if data.source in Source.values else data.source
    if spec is None:
        raise ValidationError({"source": f"{data.certificate_date.year}年适用的规则集（{policy.code}）没有规定"
                                         f"“{label}”可认定学时。"})
    if data.subject not in spec["subjects"]:
        raise ValidationError({"subject": f"“{label}”只能计入专业科目学时。"})
    if spec.get("condition") and not data.approval_reference.strip():
        raise ValidationError({"approval_reference": f"“{label}”须提供{CONDITION_LABELS[spec['condition']]}。"})
    if not data.title.strip():
        raise ValidationError({"title": "请填写证书上的项目名称（考试、课题、课程或培训名称）。"})
    if spec["measure"] != "certificate_hours":
        return 0, policy.code
    return _certificate_hours(data, policy["eligibility"]["conversions"]["minutes_per_hour"]), policy.code


def _certificate_hours(data: CreditData, minutes_per_hour: int) -> int:
    if (data.hours is None) == (data.minutes is None):
        raise ValidationError({"hours": "请填写证书上的学时或时长（分钟）其中一项。"})
    hours = data.hours if data.hours is not None else data.minutes // minutes_per_hour
    if hours <= 0:
        raise ValidationError({"hours": f"证书学时折合后为 0（{minutes_per_hour} 分钟折合 1 学时），无需申请。"})
    return hours


def _check_circumstance(data: CircumstanceData) -> CircumstanceData:
    if data.code not in PersonFlag.Code.values:
        raise ValidationError({"code": f"未知的减免情形“{data.code}”。"})
    if data.code not in FLAG_LABELS:  # the eligibility engine cannot read it yet: it would count for nothing
        raise ValidationError({"code": f"“{PersonFlag.Code(data.code).label}”尚未纳入学时审验规则，暂不能登记。"})
    if data.effective_to and data.effective_to < data.effective_from:
        raise ValidationError({"effective_to": "截止日期不能早于起始日期。"})
    if data.effective_from > timezone.localdate():
        raise ValidationError({"effective_from": "起始日期不能晚于今天。"})
    year = data.year
    if data.code in NEEDS_YEAR and year is None:
        year = data.effective_from.year
    if data.code == PersonFlag.Code.EXCEPTIONAL_PROMOTION and data.post_start_year is None:
        raise ValidationError({"post_start_year": "破格晋升须填写任现职年度。"})
    if data.code in NEEDS_CONDITIONS and not data.conditions.strip():
        raise ValidationError({"conditions": NEEDS_CONDITIONS[data.code]})
    return CircumstanceData(**{**data.__dict__, "year": year})


# --- the log and the task ----------------------------------------------------------------------

def _log(application, actor: User, from_state: str, reason: str = "") -> None:
    link = {"credit": application} if isinstance(application, CreditApplication) else {"circumstance": application}
    ApplicationTransition.objects.create(**link, actor=actor, from_state=from_state, to_state=application.state,
                                         reason=reason[:300])
    audit_record(kind=AuditEvent.Kind.TRANSITION, actor=actor, target=f"{application._meta.verbose_name} {application.pk}",
                 from_state=from_state, to_state=application.state, reason=reason[:300])


def _locked(application):
    return type(application).objects.select_for_update(of=("self",)).select_related(
        "person__employer_organisation").get(pk=application.pk)


def _step(application, name: str) -> str:
    """Run the named transition; returns the state it left."""
    if not can_proceed(getattr(application, name)):
        raise ValidationError(f"该申请当前状态为“{application.get_state_display()}”，不能办理。")
    before = application.state
    getattr(application, name)()
    return before


# --- whom a filing is for ----------------------------------------------------------------------

@transaction.atomic
def person_for_filing(*, actor: User, id_number: str = "", name: str = "") -> Person:
    """A professional files for themself; employer HR for a staff member, registered (or linked to the
    employer) on first filing; a reviewer for a person already on the ledger in their subtree."""
    if actor.role == Role.PROFESSIONAL:
        person = persons_acted_for(actor).first()
        if person is None:
            raise ValidationError("您的账号尚未关联专业技术人员档案，请联系所在单位人事部门。")
        return person
    id_number = normalise_id_number(id_number)
    if actor.role == Role.EMPLOYER_HR and actor.organisation_id:
        person = persons_ensure(people=[PersonData(id_number, name.strip(), actor.organisation.name[:100], "身份证号码")],
                                employer_organisation=actor.organisation)[id_number]
        person = person_link_employer(person=person, organisation=actor.organisation)
    else:
        person = persons_acted_for(actor).filter(id_number=id_number).first()
        if person is None:
            raise PermissionDenied("您管辖范围内没有该身份证号码的专业技术人员。")
    if person.name != name.strip():
        raise ValidationError({"name": f"姓名与身份证号码登记的姓名不一致（登记为“{person.name}”）。"})
    return person


# --- filing ------------------------------------------------------------------------------------

def _routing(application) -> dict:
    """A credit application goes to whoever certifies hours from its source on its certificate's date."""
    if isinstance(application, CreditApplication):
        return {"source": application.source, "on": application.certificate_date}
    return {}


def _file(application, actor: User, uploaded_file) -> None:
    ext = _evidence(uploaded_file)
    application.authority = application_authority(application.person, **_routing(application))
    application.employer_id = application.person.employer_organisation_id
    application.filed_by = actor
    _store_evidence(application, uploaded_file, ext)
    application.save()
    _log(application, actor, "", "提交申请")
    review_tasks.task_open(application=application)


@transaction.atomic
def credit_apply(*, person: Person, actor: User, data: CreditData, evidence) -> CreditApplication:
    """1. the person or their employer's HR; 2. the rule set allows the source (conversion, subject,
    condition); 3. evidence through the upload guard; 4. routed to the employer's authority; 5. log, task."""
    _require_filer(person, actor, circumstance=False)
    hours, rules_code = credited_hours(person=person, data=data)
    application = CreditApplication(
        person=person, source=data.source, subject=data.subject, year=data.certificate_date.year, hours=data.hours,
        minutes=data.minutes, credited_hours=hours, title=data.title.strip()[:200],
        certificate_date=data.certificate_date, approval_reference=data.approval_reference.strip()[:100],
        rules_code=rules_code, note=data.note.strip()[:300],
    )
    _file(application, actor, evidence)
    return application


@transaction.atomic
def circumstance_record(*, person: Person, actor: User, data: CircumstanceData, evidence) -> CircumstanceApplication:
    """The employer's HR or the authority records a circumstance; it counts once another reviewer approves."""
    _require_filer(person, actor, circumstance=True)
    data = _check_circumstance(data)
    application = CircumstanceApplication(
        person=person, code=data.code, year=data.year, post_start_year=data.post_start_year,
        effective_from=data.effective_from, effective_to=data.effective_to, conditions=data.conditions.strip()[:300],
        note=data.note.strip()[:300],
    )
    _file(application, actor, evidence)
    return application


@transaction.atomic
def application_resubmit(*, application, actor: User, evidence=None, note: str = ""):
    """The filer (or, for a professional's own application, the person) answers a return."""
    application = _locked(application)
    if application.filed_by_id != actor.pk and application.person.user_id != actor.pk:
        raise PermissionDenied("只有申报人可以重新提交该申请。")
    before = _step(application, "resubmit")
    fields = ["state"]
    if evidence is not None:
        _store_evidence(application, evidence, _evidence(evidence))
        fields += ["evidence", "evidence_name"]
    if note.strip():
        application.note = note.strip()[:300]
        fields.append("note")
    application.save(update_fields=fields)
    _log(application, actor, before, note or "重新提交")
    review_tasks.task_open(application=application)
    return application


# --- deciding ----------------------------------------------------------------------------------

def _decide(application, actor: User, name: str, reason: str, *, reason_required: str = ""):
    application = _locked(application)
    _require_decider(application, actor)
    if reason_required and not reason.strip():
        raise ValidationError({"reason": reason_required})
    before = _step(application, name)
    application.decided_by, application.decided_at = actor, timezone.now()
    application.decision_reason = reason.strip()[:300]
    return application, before


def _finish(application, actor: User, before: str, reason: str, extra: list[str]):
    application.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", *extra])
    _log(application, actor, before, reason)
    review_tasks.task_complete(application=application, actor=actor)
    return application


@transaction.atomic
def application_return(*, application, actor: User, reason: str):
    application, before = _decide(application, actor, "return_", reason,
                                  reason_required="退回申请时必须填写退回理由，说明需要补正的内容。")
    return _finish(application, actor, before, reason, [])


@transaction.atomic
def application_reject(*, application, actor: User, reason: str):
    application, before = _decide(application, actor, "reject", reason, reason_required="不予认定时必须填写理由。")
    return _finish(application, actor, before, reason, [])


def _write_ledger(application, actor: User) -> list[str]:
    if isinstance(application, CreditApplication):
        [application.entry] = hour_entries_credit(credits=[Credit(
            person=application.person, year=application.year, subject=application.subject,
            source=application.source, hours=application.credited_hours, authority_id=application.authority_id,
            reason=f"学时认定申请 {application.pk}：{application.title}",
        )], actor=actor)
        audit_record(kind=AuditEvent.Kind.CERTIFICATION, actor=actor, target=f"学时认定申请 {application.pk}",
                     person=application.person_id, source=application.source, hours=application.credited_hours)
        return ["entry"]
    application.flag = person_flag_record(
        person=application.person, code=application.code, actor=actor, year=application.year,
        post_start_year=application.post_start_year, effective_from=application.effective_from,
        effective_to=application.effective_to,
        evidence=f"减免情形登记 {application.pk}：{application.evidence_name} {application.conditions}".strip(),
    )
    return ["flag"]


@transaction.atomic
def application_approve(*, application, actor: User, reason: str = ""):
    """1. lock; 2. four-eyes; 3. submitted → approved; 4. the credit or the flag through the ledger's
    writer; 5. log, audit, task done."""
    application, before = _decide(application, actor, "approve", reason)
    extra = _write_ledger(application, actor)
    return _finish(application, actor, before, reason or "同意", extra)


# --- the task ----------------------------------------------------------------------------------

def _require_reviewer_of(application, actor: User) -> None:
    if not can_decide(application, actor):
        raise PermissionDenied("只有按照管理权限负责认定该申请的单位人员可以认领，且不能认领本单位人员（审核部门）"
                               "或本人提交的申请。")


@transaction.atomic
def application_claim(*, application, actor: User):
    application = _locked(application)
    _require_reviewer_of(application, actor)
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationError(f"该申请当前状态为“{application.get_state_display()}”，没有待办的审核任务。")
    review_tasks.task_claim(application=application, actor=actor)
    return application


@transaction.atomic
def application_release(*, application, actor: User):
    application = _locked(application)
    review_tasks.task_release(application=application, actor=actor)
    return application


APPLICATION_MODELS = {"credit": CreditApplication, "circumstance": CircumstanceApplication}


@transaction.atomic
def credit_file(*, actor: User, data: CreditData, evidence, id_number: str = "", name: str = "") -> CreditApplication:
    """The application page's one step: whom it is for (see person_for_filing), then credit_apply."""
    person = person_for_filing(actor=actor, id_number=id_number, name=name)
    return credit_apply(person=person, actor=actor, data=data, evidence=evidence)


@transaction.atomic
def circumstance_file(*, actor: User, data: CircumstanceData, evidence, id_number: str,
                      name: str) -> CircumstanceApplication:
    if actor.role not in (Role.EMPLOYER_HR, Role.REVIEWER):
        raise PermissionDenied("只有所在单位人事部门或审核部门可以登记减免情形。")
    person = person_for_filing(actor=actor, id_number=id_number, name=name)
    return circumstance_record(person=person, actor=actor, data=data, evidence=evidence)

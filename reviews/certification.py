"""Report review by the plan's authority and hours certification (核定学时) by the party the rules name
(filings.certifying: the local HR bureau, a region-level unit's HR department or a region-level base).

Certification is of the whole plan at once: one ledger credit per roster row, with the
reviewer's per-trainee adjustments, then the plan moves to `certified`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django_fsm import can_proceed

from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from filings import rule_facts
from filings.certifying import can_certify, certifying_authority_of_plan
from filings.models import RosterEntry, TrainingPlan
from filings.permissions import require_decider
from filings.services import plan_lock, plan_transition
from ledger import services as ledger_services
from ledger.models import HourEntry, Source

Adjustments = dict[int, tuple[int, str]]


def plan_certifying_authority_id(plan: TrainingPlan) -> int:
    """Whose queue the certification task (待核定学时) lands in: the rules' answer,
    filings.certifying.certifying_authority_of_plan (kept under this name for the inbox's CertificationFlow)."""
    return certifying_authority_of_plan(plan).pk


def require_certifier(plan: TrainingPlan, actor: User) -> None:
    if can_certify(plan, actor):
        return
    raise PermissionDenied("按照管理权限，您所在单位不负责核定该计划的学时；"
                           "审核部门不能核定本单位组织的培训，填报人不能核定本人填报的培训。")


@transaction.atomic
def report_accept(*, plan: TrainingPlan, actor: User) -> TrainingPlan:
    """受理培训情况报告."""
    plan = plan_lock(plan)
    require_decider(actor, plan)
    return plan_transition(plan=plan, method="accept_report", actor=actor)


@transaction.atomic
def report_return(*, plan: TrainingPlan, actor: User, reason: str) -> TrainingPlan:
    """退回培训情况报告: the organiser revises and submits again."""
    plan = plan_lock(plan)
    require_decider(actor, plan)
    if not reason.strip():
        raise ValidationError({"reason": "退回培训报告时必须填写退回意见。"})
    return plan_transition(plan=plan, method="return_report", actor=actor, reason=reason)


MAX_REASON_LENGTH = 200


def adjustment_problem(plan: TrainingPlan, row: RosterEntry, hours: int, reason: str) -> str | None:
    """An adjustment may only lower the hours, to between 0 and the roster's (at most the plan's), with a reason."""
    cap = min(row.hours, plan.hours)
    if hours < 0:
        return "核定学时不能为负数"
    if hours > cap:
        return f"核定学时 {hours} 超过花名册登记的 {cap} 学时；调整只能减少学时（0 至 {cap}）"
    if hours != row.hours and not reason:
        return f"核定学时与花名册不一致（{row.hours} → {hours}），请填写调整理由"
    if len(reason) > MAX_REASON_LENGTH:
        return f"调整理由不能超过 {MAX_REASON_LENGTH} 个字"
    return None


def _validated_adjustments(plan: TrainingPlan, rows: list[RosterEntry],
                           adjustments: Adjustments | None) -> dict[int, tuple[int, str]]:
    """Hours and reason per roster row id; every error at once, by 序号."""
    by_id = {row.pk: row for row in rows}
    unknown = set(adjustments or {}) - set(by_id)
    if unknown:
        raise ValidationError("调整的人员不在本计划的花名册中，请刷新页面后重试。")
    result, errors = {}, []
    for row in rows:
        hours, reason = (adjustments or {}).get(row.pk, (row.hours, ""))
        hours, reason = int(hours), (reason or "").strip()
        problem = adjustment_problem(plan, row, hours, reason)
        if problem:
            errors.append(f"第 {row.seq} 号 {row.name}：{problem}。")
        result[row.pk] = (hours, reason if hours != row.hours else "")
    if errors:
        raise ValidationError(errors)
    return result


def _exam_results(plan: TrainingPlan, rows: list[RosterEntry], decided: dict) -> dict:
    """Where public hours count only after the exam (Xilingol 2024, Songshan 2025), a failed row gets none."""
    for row in rows:
        if rule_facts.exam_failed(plan, row):
            decided[row.pk] = (0, "公需科目考试未合格，不取得学时")
    return decided


def persons_for_roster(rows: list[RosterEntry]) -> dict[str, int]:
    """Find or create each trainee's Person by ID number, through the ledger's writer: ID number → id."""
    return ledger_services.person_ids_ensure(people=[
        ledger_services.PersonData(id_number=row.id_number, name=row.name, employer=row.employer,
                                   label=f"第 {row.seq} 号 {row.name}")
        for row in rows
    ])


def _credit(plan: TrainingPlan, row: RosterEntry, person: int, hours: int, reason: str) -> ledger_services.Credit:
    return ledger_services.Credit(
        person=person, year=plan.credit_year, subject=row.subject, source=Source.TRAINING, hours=hours,
        plan_id=plan.pk, roster_entry_id=row.pk, authority_id=plan.authority_id, reason=reason,
    )


def _mark_roster(plan: TrainingPlan, rows: list[RosterEntry], decided: dict[int, tuple[int, str]]) -> None:
    """Every row takes its roster hours in one UPDATE; only the adjusted rows are written one by one
    (a CASE per row over 50,000 rows would be the slowest step of certification)."""
    plan.roster.update(certified_hours=F("hours"), adjustment_reason="")
    adjusted = []
    for row in rows:
        row.certified_hours, row.adjustment_reason = decided[row.pk]
        if row.adjustment_reason:
            adjusted.append(row)
    RosterEntry.objects.bulk_update(adjusted, ["certified_hours", "adjustment_reason"], batch_size=500)


@transaction.atomic
def certify_hours(*, plan: TrainingPlan, actor: User, adjustments: Adjustments | None = None) -> list[HourEntry]:
    """1. lock; 2. the certifying party by the rules, not the filer; 3. state and adjustments valid;
    4. persons found or created; 5. one credit per trainee; 6. roster rows marked; 7. certify, log, audit."""
    plan = plan_lock(plan)
    require_certifier(plan, actor)
    if not can_proceed(plan.certify):
        raise ValidationError(f"该计划当前状态为“{plan.get_state_display()}”，不能核定学时。")
    rows = list(plan.roster.select_for_update().order_by("seq"))
    if not rows:
        raise ValidationError("该计划没有花名册，不能核定学时。")
    if problems := rule_facts.certification_problems(plan, rows):
        raise ValidationError(problems)
    decided = _exam_results(plan, rows, _validated_adjustments(plan, rows, adjustments))
    persons = persons_for_roster(rows)
    entries = ledger_services.hour_entries_credit(
        credits=[_credit(plan, row, persons[row.id_number], *decided[row.pk]) for row in rows], actor=actor,
    )
    _mark_roster(plan, rows, decided)
    adjusted = sum(1 for row in rows if row.adjustment_reason)
    plan_transition(plan=plan, method="certify", actor=actor, reason=f"核定 {len(rows)} 人学时，其中调整 {adjusted} 人")
    audit_record(kind=AuditEvent.Kind.CERTIFICATION, actor=actor, target=plan.filing_no,
                 trainees=len(rows), adjusted=adjusted)
    return entries

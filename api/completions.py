"""Online completions (网络培训完成记录): a platform reports who completed its approved online training;
records are checked as roster rows are, kept in batches, and reach the hour ledger only when the plan's
authority certifies a batch (four eyes: a reviewer of the authority, never of the organiser).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from api.models import ApiClient, CompletionBatch, CompletionRecord
from api.problems import ApiProblem, error_row
from common.bulk import insert_rows
from common.queries import in_values
from filings.certifying import can_certify
from filings.models import Mode, PlanState, TrainingPlan
from filings.roster.checks import SUBJECT_LABELS
from filings.roster.columns import SEX_LABELS, SEX_TEXT
from ledger import services as ledger_services
from ledger.models import HourEntry, Person, Source
from rules.idnumber import normalise_id_number, parse_normalised_id_number
from rules.selectors import NoRuleSetInForce, policy_for

MAX_RECORDS = 10_000
OPEN_STATES = (PlanState.APPROVED, PlanState.IN_TRAINING)
EXAM_KEYS = ("public_exam_required", "exam_required", "requires_exam")


def exam_required(plan: TrainingPlan) -> bool:
    """Whether the rule set in force makes this plan's records count only with the exam passed.

    Read defensively: the flag's name and shape belong to the rule sets (bool for public subjects,
    a {subject: bool} map, or a list of subjects)."""
    try:
        params = policy_for(division=plan.organiser.division, on=timezone.localtime(plan.starts_at).date()).params
    except NoRuleSetInForce:
        return False
    for key in EXAM_KEYS:
        value = params.get(key)
        if isinstance(value, bool):
            return value and plan.subject == "public"
        if isinstance(value, dict):
            return bool(value.get(plan.subject))
        if isinstance(value, list | tuple):
            return plan.subject in value
    return False


def open_plan_check(plan: TrainingPlan) -> None:
    if plan.mode != Mode.ONLINE:
        raise ApiProblem(409, f"计划“{plan.filing_no}”不是网络培训（培训方式为“{plan.get_mode_display()}”），"
                              "不能提交网络培训完成记录。")
    if plan.state not in OPEN_STATES:
        raise ApiProblem(409, f"计划当前状态为“{plan.get_state_display()}”（{plan.state}），只有已备案或培训中的"
                              "网络培训计划可以提交完成记录。")


class RecordChecker:
    """The roster's row checks for completion records: ID number, sex, duplicates, hours, period, exam."""

    def __init__(self, plan: TrainingPlan, needs_exam: bool):
        self.plan, self.needs_exam = plan, needs_exam
        self.first = timezone.localtime(plan.starts_at).date()
        self.last = timezone.localtime(plan.ends_at).date()
        self.seen_ids: dict[str, int] = {}
        self.seen_records: dict[str, int] = {}

    def check(self, row: int, record) -> tuple[str, list[dict]]:
        errors: list[dict] = []
        if record.record_id in self.seen_records:
            errors.append(error_row(row, "record_id", f"记录号“{record.record_id}”与第{self.seen_records[record.record_id]}"
                                                      "条重复。"))
        else:
            self.seen_records[record.record_id] = row
        if not record.name.strip():
            errors.append(error_row(row, "name", "“姓名”不能为空，请填写。"))
        elif len(record.name.strip()) > 40:
            errors.append(error_row(row, "name", "“姓名”过长：不能超过40个字。"))
        number = self._id_number(row, record, errors)
        self._subject(row, record.subject, errors)
        self._hours(row, record.hours, errors)
        if not self.first <= record.completed_on <= self.last:
            errors.append(error_row(row, "completed_on", f"完成日期 {record.completed_on:%Y-%m-%d} 不在培训期间"
                                                         f"（{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}）内。"))
        if self.needs_exam and record.exam_passed is None:
            errors.append(error_row(row, "exam_passed", "按现行规则，公需科目须考试合格方可计入学时：请填写 exam_passed"
                                                        "（true 或 false）。"))
        return number, errors

    def _id_number(self, row: int, record, errors: list[dict]) -> str:
        number = normalise_id_number(record.id_number)
        if not number:
            errors.append(error_row(row, "id_number", "“身份证号码”不能为空，请填写。"))
            return ""
        try:
            _birth, sex = parse_normalised_id_number(number)
        except ValueError as problem:
            errors.append(error_row(row, "id_number", str(problem)))
            return ""
        if number in self.seen_ids:
            errors.append(error_row(row, "id_number", f"与第{self.seen_ids[number]}行是同一人（身份证号码重复），"
                                                      "同一人只能登记一次。"))
        else:
            self.seen_ids[number] = row
        if record.sex:
            given = SEX_LABELS.get(record.sex.strip())
            if given is None:
                errors.append(error_row(row, "sex", f"性别“{record.sex}”无效：请填写“男”或“女”。"))
            elif given != sex:
                errors.append(error_row(row, "sex", f"性别“{record.sex}”与身份证号码不符：按身份证号码应为"
                                                    f"“{SEX_TEXT[sex]}”。"))
        return number

    def _subject(self, row: int, text: str, errors: list[dict]) -> None:
        subject = text if text in ("public", "professional") else SUBJECT_LABELS.get(text.strip())
        if subject is None:
            errors.append(error_row(row, "subject", f"科目类别“{text}”无效：请填写 public（公需科目）或 "
                                                    "professional（专业科目）。"))
        elif subject != self.plan.subject:
            errors.append(error_row(row, "subject", f"科目类别“{text}”与备案计划的科目类别"
                                                    f"“{self.plan.get_subject_display()}”不一致。"))

    def _hours(self, row: int, hours: int, errors: list[dict]) -> None:
        if hours <= 0:
            errors.append(error_row(row, "hours", f"学时“{hours}”无效：应为正整数。"))
        elif hours > self.plan.hours:
            errors.append(error_row(row, "hours", f"学时 {hours} 超过了计划每人学时 {self.plan.hours}。"))


def _already_stored(client: ApiClient, record_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for part in in_values(CompletionRecord.objects.filter(client=client), "record_id", record_ids):
        found.update(part.values_list("record_id", flat=True))
    return found


def _people_on_plan(plan: TrainingPlan, numbers: list[str]) -> dict[str, str]:
    """ID number → record id of completions of this plan already accepted and not returned."""
    found: dict[str, str] = {}
    accepted = CompletionRecord.objects.filter(batch__plan=plan).exclude(batch__status=CompletionBatch.Status.RETURNED)
    for part in in_values(accepted, "id_number", numbers):
        found.update(part.values_list("id_number", "record_id"))
    return found


@transaction.atomic
def completions_accept(*, client: ApiClient, plan: TrainingPlan, records: list) -> tuple[CompletionBatch | None,
                                                                                        list[str]]:
    """1. lock the client (one batch at a time per client); 2. plan open and online; 3. every record checked,
    all or nothing; 4. records already accepted reported back; 5. the rest stored as one pending batch."""
    if len(records) > MAX_RECORDS:
        raise ApiProblem(422, f"每次最多提交 {MAX_RECORDS} 条完成记录，本次 {len(records)} 条：请分批提交。")
    ApiClient.objects.select_for_update().filter(pk=client.pk).first()
    plan = TrainingPlan.objects.select_for_update().select_related("organiser__division").get(pk=plan.pk)
    open_plan_check(plan)
    stored = _already_stored(client, [r.record_id for r in records])
    fresh = [(row, r) for row, r in enumerate(records, start=1) if r.record_id not in stored]
    checker, errors, numbers = RecordChecker(plan, exam_required(plan)), [], []
    for row, record in fresh:
        number, row_errors = checker.check(row, record)
        errors.extend(row_errors)
        numbers.append(number)
    on_plan = _people_on_plan(plan, [n for n in numbers if n])
    for (row, _record), number in zip(fresh, numbers, strict=True):
        if number in on_plan:
            errors.append(error_row(row, "id_number", f"该人员已有本计划的完成记录（记录号“{on_plan[number]}”），"
                                                      "同一人只能登记一次。"))
    if errors:
        raise ApiProblem(422, f"完成记录有 {len(errors)} 处错误，均未接收。请逐条修改后重新提交。", errors)
    duplicates = [r.record_id for r in records if r.record_id in stored]
    if not fresh:
        return None, duplicates
    batch = CompletionBatch.objects.create(client=client, plan=plan, record_count=len(fresh))
    rows = [(batch.pk, client.pk, r.record_id, n, r.name.strip(), plan.subject, r.hours, r.completed_on, r.exam_passed)
            for (_row, r), n in zip(fresh, numbers, strict=True)]
    _store(rows)
    return batch, duplicates


COLUMNS = ("batch_id", "client_id", "record_id", "id_number", "name", "subject", "hours", "completed_on",
           "exam_passed")


def _store(rows: list[tuple]) -> None:
    """PostgreSQL COPY (several times faster than INSERT for 10,000 rows); bulk_create elsewhere."""
    insert_rows(CompletionRecord, COLUMNS, rows, ids=False)


def _locked_pending(batch: CompletionBatch, actor: User) -> CompletionBatch:
    batch = CompletionBatch.objects.select_for_update(of=("self",)).select_related("plan").get(pk=batch.pk)
    if not can_certify(batch.plan, actor):
        raise PermissionDenied("您不是该计划审核部门的审核人员，也不是按照管理权限核定学时的单位人员，"
                               "或该计划由本单位组织，不能核定。")
    if batch.status != CompletionBatch.Status.PENDING:
        raise ValidationError(f"该批次已{batch.get_status_display()}，不能重复处理。")
    return batch


def _persons(records: list[CompletionRecord]) -> dict[str, Person]:
    """Each person found or created by ID number through the ledger's writer."""
    return ledger_services.persons_ensure(people=[
        ledger_services.PersonData(id_number=r.id_number, name=r.name, label=f"记录 {r.record_id} {r.name}")
        for r in records])


@transaction.atomic
def completion_batch_certify(*, batch: CompletionBatch, actor: User, now: dt.datetime | None = None) -> list[HourEntry]:
    """1. lock; 2. the authority's reviewer, not the organiser's; 3. one credit per record that counts (exam
    passed where required); 4. batch certified; 5. audit. Returns the ledger rows written."""
    batch = _locked_pending(batch, actor)
    plan = batch.plan
    records = list(batch.records.order_by("pk"))
    needs_exam = exam_required(plan)
    counted = [r for r in records if not needs_exam or r.exam_passed]
    persons = _persons(counted)
    entries = ledger_services.hour_entries_credit(credits=[
        ledger_services.Credit(person=persons[r.id_number], year=plan.credit_year, subject=r.subject,
                               source=Source.TRAINING, hours=r.hours, authority_id=plan.authority_id,
                               plan_id=plan.pk, reason=f"网络培训完成记录 {r.record_id}")
        for r in counted], actor=actor)
    skipped = len(records) - len(counted)
    batch.status, batch.decided_by, batch.decided_at = CompletionBatch.Status.CERTIFIED, actor, now or timezone.now()
    batch.reason = f"核定 {len(counted)} 人学时" + (f"，{skipped} 人考试未合格未计入" if skipped else "")
    batch.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(kind=AuditEvent.Kind.CERTIFICATION, actor=actor, target=plan.filing_no, batch=batch.pk,
                 trainees=len(counted), skipped=skipped)
    return entries


@transaction.atomic
def completion_batch_return(*, batch: CompletionBatch, actor: User, reason: str) -> CompletionBatch:
    """退回: nothing reaches the ledger; the platform may send corrected records under new record ids."""
    batch = _locked_pending(batch, actor)
    if not reason.strip():
        raise ValidationError({"reason": "退回完成记录批次时必须填写理由。"})
    batch.status, batch.decided_by, batch.decided_at = CompletionBatch.Status.RETURNED, actor, timezone.now()
    batch.reason = reason.strip()[:300]
    batch.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return batch


def batches_for_reviewer(user: User):
    return (CompletionBatch.objects.filter(plan__authority_id=user.organisation_id)
            .exclude(plan__organiser_id=user.organisation_id)
            .select_related("plan", "client", "decided_by").order_by("-created_at", "-pk"))

"""Certification at any size: adjustments saved a few rows at a time (or from a spreadsheet), then the
whole plan certified by a background task whose progress the page shows.

The adjustment rule (only lower, within the roster's and the plan's per-person hours, with a reason)
is checked when an adjustment is saved and again by `certify_hours`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import User
from filings.models import PlanState, RosterEntry, TrainingPlan
from filings.services import plan_lock
from reviews.certification import adjustment_problem, certify_hours, require_certifier
from reviews.flows import CertificationFlow
from reviews.models import CertificationAdjustment, CertificationRun
from sheets.cells import plain_text
from workflows.services import task_claim

logger = logging.getLogger(__name__)
Status = CertificationRun.Status
OPEN = (Status.QUEUED, Status.RUNNING)
UNEXPECTED = "系统核定学时时出错，学时未记入台账。请稍后重新提交核定；如仍失败请联系管理员。"


@dataclass(frozen=True)
class Change:
    """One adjustment as the reviewer wrote it: raw values, where they came from, how to name the cells."""

    seq: object
    hours: object
    reason: object
    where: str  # "第 3 行"
    columns: tuple[str, str, str] = ("序号", "核定学时", "调整理由")
    name: object = None  # from a spreadsheet: checked against the roster row when given
    id_number: object = None
    identity_columns: tuple[str, str] = ("姓名", "身份证号码")


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value if value is not None else "").strip()
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def open_run(plan: TrainingPlan) -> CertificationRun | None:
    return plan.certification_runs.filter(status__in=OPEN).first()


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _close_stale_runs(plan: TrainingPlan) -> None:
    """A run a crashed worker left behind (nothing was written: certification is one transaction)."""
    plan.certification_runs.filter(status=Status.RUNNING, started_at__lt=_stale_before()).update(
        status=Status.FAILED, finished_at=timezone.now(), errors=["核定任务中断（处理程序意外停止），学时未记入台账，请重新提交核定。"])


def _lock_for_adjusting(plan: TrainingPlan, actor: User) -> TrainingPlan:
    plan = plan_lock(plan)
    require_certifier(plan, actor)
    if plan.state != PlanState.REPORT_ACCEPTED:
        raise ValidationError(f"该计划当前状态为“{plan.get_state_display()}”，不能调整核定学时。")
    task_claim(artifact=plan, actor=actor, flow=CertificationFlow, required=False)  # a colleague's is refused
    _close_stale_runs(plan)
    if open_run(plan):
        raise ValidationError("该计划正在核定中，不能再修改调整，请等待核定完成。")
    return plan


def _identity_mismatch(change: Change, row: RosterEntry) -> str | None:
    name, id_number = plain_text(change.name), plain_text(change.id_number).upper()
    if name and name != row.name:
        return f"{change.where}{change.identity_columns[0]}：序号 {row.seq} 在花名册中是“{row.name}”，不是“{name}”。"
    if id_number and id_number != row.id_number.upper():
        return f"{change.where}{change.identity_columns[1]}：与花名册序号 {row.seq} {row.name} 的身份证号码不一致。"
    return None


def _checked(plan: TrainingPlan, changes: list[Change]) -> dict[int, tuple[RosterEntry, int, str]]:
    """Roster row id → (row, hours, reason); every error at once, naming the row and the column."""
    seqs = {_int(c.seq) for c in changes} - {None}
    rows = {row.seq: row for row in plan.roster.filter(seq__in=seqs)}
    result, seen, errors = {}, {}, []
    for change in changes:
        seq_col, hours_col, reason_col = change.columns
        seq, hours, reason = _int(change.seq), _int(change.hours), plain_text(change.reason)
        if seq is None:
            errors.append(f"{change.where}{seq_col}：应填写花名册中的序号（整数），现为“{plain_text(change.seq)}”。")
            continue
        row = rows.get(seq)
        if row is None:
            errors.append(f"{change.where}{seq_col}：本计划花名册中没有序号 {seq}。")
            continue
        if seq in seen:
            errors.append(f"{change.where}{seq_col}：序号 {seq} 与{seen[seq]}重复。")
            continue
        seen[seq] = change.where
        mismatch = _identity_mismatch(change, row)
        if mismatch:
            errors.append(mismatch)
            continue
        if hours is None:
            errors.append(f"{change.where}{hours_col}（序号 {seq} {row.name}）：核定学时应为整数，现为“{plain_text(change.hours)}”。")
            continue
        problem = adjustment_problem(plan, row, hours, reason)
        if problem:
            column = reason_col if "理由" in problem else hours_col
            errors.append(f"{change.where}{column}（序号 {seq} {row.name}）：{problem}。")
            continue
        result[row.pk] = (row, hours, reason)
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def certification_adjustments_save(*, plan: TrainingPlan, actor: User, changes: list[Change]) -> int:
    """Save the changed rows only, all or nothing. Hours equal to the roster's withdraw the row's adjustment.
    Returns how many rows now carry an adjustment from this save."""
    plan = _lock_for_adjusting(plan, actor)
    if not changes:
        raise ValidationError("没有填写要调整的人员：请填写序号、核定学时和调整理由。")
    checked = _checked(plan, changes)
    keep = {pk: (hours, reason) for pk, (row, hours, reason) in checked.items() if hours != row.hours}
    withdrawn = [pk for pk, (row, hours, _) in checked.items() if hours == row.hours]
    CertificationAdjustment.objects.filter(roster_entry_id__in=withdrawn).delete()
    existing = {a.roster_entry_id: a for a in CertificationAdjustment.objects.filter(roster_entry_id__in=keep)}
    new = []
    for pk, (hours, reason) in keep.items():
        adjustment = existing.get(pk) or CertificationAdjustment(plan=plan, roster_entry_id=pk)
        adjustment.hours, adjustment.reason, adjustment.set_by = hours, reason, actor
        adjustment.updated_at = timezone.now()
        (new if adjustment.pk is None else []).append(adjustment)
    CertificationAdjustment.objects.bulk_create(new, batch_size=1000)
    CertificationAdjustment.objects.bulk_update(list(existing.values()), ["hours", "reason", "set_by", "updated_at"],
                                                batch_size=500)
    return len(keep)


@transaction.atomic
def certification_run_start(*, plan: TrainingPlan, actor: User) -> CertificationRun:
    """Queue the certification of the whole plan with its saved adjustments (after commit)."""
    plan = _lock_for_adjusting(plan, actor)
    if not can_proceed(plan.certify):
        raise ValidationError(f"该计划当前状态为“{plan.get_state_display()}”，不能核定学时。")
    total = plan.roster.count()
    if not total:
        raise ValidationError("该计划没有花名册，不能核定学时。")
    run = CertificationRun.objects.create(plan=plan, requested_by=actor, total=total,
                                          adjusted=plan.certification_adjustments.count())
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from reviews.tasks import certification_run

    certification_run.delay(run_id)


def _finish(run: CertificationRun, status: str, errors: list[str], started: float) -> CertificationRun:
    run.status, run.errors, run.finished_at = status, errors, timezone.now()
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["status", "errors", "finished_at", "seconds"])
    return run


def certification_run_process(*, run_id: int) -> CertificationRun | None:
    """The task's work: claim the queued run, certify in one transaction, record the outcome."""
    claimed = CertificationRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return None  # already done by another worker, or redelivered after finishing
    run = CertificationRun.objects.select_related("plan", "requested_by").get(pk=run_id)
    started = time.perf_counter()
    try:
        with transaction.atomic():
            adjustments = {a.roster_entry_id: (a.hours, a.reason) for a in run.plan.certification_adjustments.all()}
            certify_hours(plan=run.plan, actor=run.requested_by, adjustments=adjustments)
            run.plan.certification_adjustments.all().delete()
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _finish(run, Status.FAILED, messages, started)
    except Exception:
        logger.exception("certification run %s failed", run_id)
        return _finish(run, Status.FAILED, [UNEXPECTED], started)
    return _finish(run, Status.DONE, [], started)

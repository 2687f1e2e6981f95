"""Training reports (培训情况报告): attachments and submission after the training ends.

The due date, the refusal of late reports and the required attachments come from the rule
set in force for the organiser's division on the training's last day.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import User
from filings.models import Attachment, AttachmentKind, PlanState, TrainingPlan, TrainingReport
from filings.permissions import require_plan_organiser
from filings.risk_facts import plan_risk_facts_refresh
from filings.services import plan_lock, plan_transition
from jurisdiction.calendar import days_in_words, end_of_day
from rules.selectors import Policy, policy_for
from sheets.documents import MAX_DOCUMENT_BYTES, validate_document

MAX_ATTACHMENT_BYTES = MAX_DOCUMENT_BYTES

UPLOAD_STATES = (PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORT_RETURNED)


def _end_date(plan: TrainingPlan) -> dt.date:
    return timezone.localtime(plan.ends_at).date()


def _policy(plan: TrainingPlan):
    return policy_for(division=plan.organiser.division, on=_end_date(plan))


def report_due_date(plan: TrainingPlan, *, policy: Policy | None = None) -> dt.date:
    """The last day (Asia/Shanghai) a report is on time: the end date plus `report_days`
    (`policy`: the rules in force on the end day, when the caller has them already)."""
    policy = policy or _policy(plan)
    end = _end_date(plan)
    if audit := policy.params.get("report_at_audit"):  # 2017: the summary goes in with the audit
        month, day = (int(part) for part in audit.split("-"))
        closes = dt.date(end.year, month, day)
        return closes if end <= closes else dt.date(end.year + 1, month, day)
    return end + dt.timedelta(days=policy["report_days"])


def report_period_words(plan: TrainingPlan) -> str:
    """When the report is due, as the notice words it: 培训结束后两周内 (14 days), or, under 2017,
    办理审验工作时 (the audit closing on `report_at_audit`)."""
    policy = _policy(plan)
    if policy.params.get("report_at_audit"):
        return "办理审验工作时"
    return f"培训结束后{days_in_words(policy['report_days'])}内"


def report_due_at(plan: TrainingPlan, *, policy: Policy | None = None) -> dt.datetime:
    """The end of the due day, as an aware datetime."""
    return end_of_day(report_due_date(plan, policy=policy))


def required_attachments(plan: TrainingPlan) -> list[str]:
    """The attachment kinds a report of this plan must carry, in the order of the notice."""
    return list(_policy(plan)["report_attachments"][plan.mode])


def missing_attachments(plan: TrainingPlan) -> list[str]:
    present = set(plan.attachments.values_list("kind", flat=True))
    return [kind for kind in required_attachments(plan) if kind not in present]


def late_days(plan: TrainingPlan, now: dt.datetime) -> int:
    return max(0, (timezone.localtime(now).date() - report_due_date(plan)).days)


# --- attachments ------------------------------------------------------------------------

def validate_attachment_file(uploaded_file) -> tuple[str, str]:
    """Return (extension, content type) or raise ValidationError saying what is wrong and what to do."""
    return validate_document(uploaded_file, max_bytes=MAX_ATTACHMENT_BYTES)


@transaction.atomic
def report_attachment_add(*, plan: TrainingPlan, actor: User, kind: str, uploaded_file) -> Attachment:
    """Store one report attachment for the owner, under a random name in MEDIA_ROOT."""
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan)
    if plan.state not in UPLOAD_STATES:
        raise ValidationError(f"该计划当前状态为“{plan.get_state_display()}”，不能上传培训报告材料。")
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": "请选择材料类别。"})
    ext, content_type = validate_attachment_file(uploaded_file)
    attachment = Attachment(
        plan=plan, kind=kind, original_name=uploaded_file.name[:200], size=uploaded_file.size,
        content_type=content_type, uploaded_by=actor,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{ext}", uploaded_file, save=False)
    attachment.save()
    return attachment


def attachments_in_checklist_order(plan: TrainingPlan, attachments) -> list[Attachment]:
    """The uploaded materials in the order of the rule set's list of required materials, then any others,
    each kind's files in upload order."""
    order = {kind: n for n, kind in enumerate(required_attachments(plan))}
    return sorted(attachments, key=lambda a: (order.get(a.kind, len(order)), a.pk))


def _locked_attachment(attachment: Attachment, actor: User) -> tuple[TrainingPlan, Attachment]:
    """The plan locked and the attachment re-read under the lock, once the actor may change its materials."""
    plan = plan_lock(attachment.plan)
    require_plan_organiser(actor, plan)
    if plan.state not in UPLOAD_STATES:
        raise ValidationError(f"该计划当前状态为“{plan.get_state_display()}”，培训情况报告已提交或已审核，不能再删除或更换材料。")
    current = Attachment.objects.filter(plan=plan, pk=attachment.pk).first()
    if current is None:
        raise ValidationError("该材料已被删除（可能已被他人处理，请刷新页面）。")
    return plan, current


def _remove(plan: TrainingPlan, attachment: Attachment, actor: User, reason: str) -> None:
    """Delete the row and log it on the plan's history; the file goes only once the deletion is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    plan_transition(plan=plan, method=None, actor=actor, reason=reason)
    transaction.on_commit(lambda: storage.delete(name))


def _material(attachment: Attachment) -> str:
    return f"{attachment.get_kind_display()}（{attachment.original_name}）"


@transaction.atomic
def report_attachment_delete(*, attachment: Attachment, actor: User) -> Attachment:
    """Delete a report material while the report is not yet submitted (or has been returned)."""
    plan, attachment = _locked_attachment(attachment, actor)
    _remove(plan, attachment, actor, f"删除报告材料：{_material(attachment)}")
    return attachment


@transaction.atomic
def report_attachment_replace(*, attachment: Attachment, actor: User, uploaded_file) -> Attachment:
    """Put a new file in place of a report material, same kind; the old one is deleted in the same transaction."""
    plan, old = _locked_attachment(attachment, actor)
    new = report_attachment_add(plan=plan, actor=actor, kind=old.kind, uploaded_file=uploaded_file)
    _remove(plan, old, actor, f"更换报告材料：{_material(old)} → {new.original_name}")
    return new


# --- submission -------------------------------------------------------------------------

def _check_complete(plan: TrainingPlan) -> None:
    problems = []
    if not plan.roster.exists():
        problems.append("尚未导入培训花名册，请先上传花名册。")
    missing = missing_attachments(plan)
    if missing:
        labels = "、".join(AttachmentKind(kind).label for kind in missing)
        problems.append(f"缺少以下材料：{labels}，请上传后再提交。")
    if problems:
        raise ValidationError(problems)


def _check_lateness(plan: TrainingPlan, now: dt.datetime) -> int:
    days = late_days(plan, now)
    if days and _policy(plan).params.get("refuse_late_reports"):
        raise ValidationError(
            f"已超过培训情况报告提交期限（应于 {report_due_date(plan):%Y年%m月%d日} 前提交，已逾期 {days} 天）。"
            "审核部门规定逾期不予受理，请与审核部门联系。"
        )
    return days


def _record_report(plan: TrainingPlan, actor: User, now: dt.datetime, days: int) -> TrainingReport:
    report, created = TrainingReport.objects.get_or_create(
        plan=plan, defaults={"due_at": report_due_at(plan), "late_days": days}
    )
    report.submitted_at = now
    report.submitted_by = actor
    report.save(update_fields=["submitted_at", "submitted_by"])
    if created:  # late_days is fixed at the first submission
        plan_risk_facts_refresh(plan_ids=[plan.pk])
    return report


@transaction.atomic
def report_submit(*, plan: TrainingPlan, actor: User, now: dt.datetime | None = None) -> TrainingReport:
    """1. lock; 2. owner only; 3. roster and attachments present; 4. lateness (first submission
    only: a report returned for revision is not late again); 5. record; 6. transition and log."""
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan)
    now = now or timezone.now()
    if not can_proceed(plan.submit_report):
        raise ValidationError(f"该计划当前状态为“{plan.get_state_display()}”，不能提交培训报告。")
    _check_complete(plan)
    first = not TrainingReport.objects.filter(plan=plan, submitted_at__isnull=False).exists()
    days = _check_lateness(plan, now) if first else 0
    report = _record_report(plan, actor, now, days)
    reason = f"逾期 {report.late_days} 天提交" if first and report.late_days else ""
    plan_transition(plan=plan, method="submit_report", actor=actor, reason=reason)
    return report

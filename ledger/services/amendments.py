"""Writes on the hour ledger after certification: amendments (学时更正).

The ledger is append-only: an approved amendment adds a reversal row (the negative of the
entry, pointing at it) and, when the corrected hours are above zero, a new credit row.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from accounts.permissions import is_organiser_of
from ledger.announcements import amendment_announce
from ledger.flows import AmendmentFlow
from ledger.models import AmendmentRequest, HourEntry
from ledger.review_tasks import task_process
from ledger.services.entries import hour_entry_correct

MAX_REASON_LENGTH = 300  # AmendmentRequest.reason and decision_reason

def _is_organiser_of(entry: HourEntry, actor: User) -> bool:
    return entry.plan_id is not None and is_organiser_of(actor, entry.plan.organiser_id)


def can_decide_amendment(entry: HourEntry, actor: User) -> bool:
    """Reviewers of the entry's authority, never for a training of their own organisation."""
    own_org = entry.plan_id is not None and entry.plan.organiser_id == actor.organisation_id
    return (actor.is_active and actor.role == Role.REVIEWER
            and actor.organisation_id == entry.authority_id and not own_org)


def can_request_amendment(entry: HourEntry, actor: User) -> bool:
    return actor.is_active and (_is_organiser_of(entry, actor) or can_decide_amendment(entry, actor))


def _check_amendable(entry: HourEntry, new_hours: int, reason: str) -> None:
    if entry.kind != HourEntry.Kind.CREDIT or HourEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("该学时记录已被冲销或本身是冲销记录，不能再申请更正。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写更正理由。"})
    if len(reason.strip()) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": f"更正理由不能超过 {MAX_REASON_LENGTH} 个字。"})
    if new_hours < 0:
        raise ValidationError({"new_hours": "更正后学时不能为负数。"})
    if new_hours == entry.hours:
        raise ValidationError({"new_hours": "更正后学时与原核定学时相同，无需更正。"})


@transaction.atomic
def amendment_request(*, entry: HourEntry, actor: User, new_hours: int, reason: str) -> AmendmentRequest:
    """The organiser or the authority's reviewer asks to correct a certified entry."""
    entry = HourEntry.objects.select_for_update(of=("self",)).select_related("plan").get(pk=entry.pk)
    if not can_request_amendment(entry, actor):
        raise PermissionDenied("只有培训组织单位或核定部门可以申请更正该学时记录。")
    _check_amendable(entry, new_hours, reason)
    if entry.amendment_requests.filter(status=AmendmentRequest.Status.PENDING).exists():
        raise ValidationError("该学时记录已有待审批的更正申请，请等待审批结果。")
    request = AmendmentRequest.objects.create(entry=entry, new_hours=new_hours, reason=reason.strip(),
                                              requested_by=actor)
    task_process().task_open(flow=AmendmentFlow, artifact=request)
    return request


def _locked_pending(request: AmendmentRequest, actor: User) -> AmendmentRequest:
    request = AmendmentRequest.objects.select_for_update(of=("self",)).select_related("entry__plan").get(pk=request.pk)
    if not can_decide_amendment(request.entry, actor):
        raise PermissionDenied("只有核定部门的审核人员可以审批学时更正，且不能审批本单位组织的培训。")
    if request.requested_by_id == actor.pk:
        raise PermissionDenied("不能审批本人提出的更正申请，请由本部门其他审核人员审批。")
    if request.status != AmendmentRequest.Status.PENDING:
        raise ValidationError(f"该更正申请已{request.get_status_display()}，不能重复审批。")
    task_process().task_claim(artifact=request, actor=actor, flow=AmendmentFlow, required=False)
    return request


def _append_correction(entry: HourEntry, request: AmendmentRequest, actor: User) -> list[HourEntry]:
    return hour_entry_correct(entry=entry, actor=actor, reason=request.reason, new_hours=request.new_hours)


def _decide(request: AmendmentRequest, actor: User, status: str, reason: str) -> AmendmentRequest:
    if len(reason.strip()) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": f"审批意见不能超过 {MAX_REASON_LENGTH} 个字。"})
    request.status, request.decided_by, request.decided_at = status, actor, timezone.now()
    request.decision_reason = reason.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    # Claims an unclaimed task first; refused (and all rolled back) when a colleague holds it.
    task_process().task_complete(artifact=request, actor=actor, flow=AmendmentFlow)
    amendment_announce(request=request)  # delivered after the commit
    return request


@transaction.atomic
def amendment_approve(*, request: AmendmentRequest, actor: User, reason: str = "") -> list[HourEntry]:
    """1. lock the request; 2. reviewer of the authority, not the requester; 3. reversal and new
    credit appended; 4. request decided; 5. audit. Returns the rows appended."""
    request = _locked_pending(request, actor)
    rows = _append_correction(request.entry, request, actor)
    _decide(request, actor, AmendmentRequest.Status.APPROVED, reason)
    audit_record(kind=AuditEvent.Kind.REVOCATION, actor=actor, target=f"学时记录 {request.entry_id}",
                 old_hours=request.entry.hours, new_hours=request.new_hours, reason=request.reason)
    return rows


@transaction.atomic
def amendment_reject(*, request: AmendmentRequest, actor: User, reason: str) -> AmendmentRequest:
    request = _locked_pending(request, actor)
    if not reason.strip():
        raise ValidationError({"reason": "不予更正时请填写审批意见。"})
    return _decide(request, actor, AmendmentRequest.Status.REJECTED, reason)

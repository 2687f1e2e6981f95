"""Late-filing exception requests (逾期备案特批申请): requested by the organiser, decided in the inbox.

The task is claimed and decided like plan review: a decision on a task a colleague holds is refused;
deciding an unclaimed task claims it first, in the same transaction (the task row is locked).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import Role, User
from accounts.selectors import organisation_staff
from filings.models import TrainingPlan
from filings.permissions import require_decider, require_plan_organiser
from filings.services import EDITABLE_STATES, last_filing_moment, plan_grant_late_exception, plan_lock
from notifications.events import EventKind, event_notify, register_event_kind
from reviews.flows import LateExceptionFlow
from reviews.models import LateExceptionRequest
from workflows.selectors import open_task_of, task_holder_id
from workflows.services import task_claim, task_complete, task_open, task_release

Status = LateExceptionRequest.Status
LATE_DECISION = register_event_kind(EventKind("late_exception_decision", "逾期备案特批审批结果"))


def may_request(plan: TrainingPlan, user: User, now=None) -> bool:
    """The organiser of a plan not yet submitted whose lead time has passed, with no exception or open request."""
    now = now or timezone.now()
    return (plan.state in EDITABLE_STATES and not hasattr(plan, "late_exception")
            and now > last_filing_moment(plan)
            and not plan.late_exception_requests.filter(status=Status.PENDING).exists()
            and plan.organiser_id == user.organisation_id and user.role == Role.ORGANISER)


@transaction.atomic
def late_exception_request(*, plan: TrainingPlan, actor: User, reason: str, now=None) -> LateExceptionRequest:
    """1. lock the plan; 2. its organiser; 3. lead time missed, not yet excepted or requested; 4. task opened."""
    now = now or timezone.now()
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan, message="只有本计划的组织单位可以申请逾期备案特批。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写申请逾期备案特批的理由。"})
    if plan.state not in EDITABLE_STATES:
        raise ValidationError("只有尚未提交的计划可以申请逾期备案特批。")
    if hasattr(plan, "late_exception"):
        raise ValidationError("该计划已有逾期备案特批，可以直接提交。")
    if now <= last_filing_moment(plan):
        raise ValidationError("该计划尚未超过备案期限，无需申请特批，请直接提交。")
    if plan.late_exception_requests.filter(status=Status.PENDING).exists():
        raise ValidationError("该计划已有待审批的逾期备案特批申请，请等待审核部门审批。")
    request = LateExceptionRequest.objects.create(plan=plan, requested_by=actor, reason=reason.strip())
    task_open(flow=LateExceptionFlow, artifact=request)
    return request


def _locked(request: LateExceptionRequest, actor: User) -> tuple[LateExceptionRequest, Task]:
    request = LateExceptionRequest.objects.select_for_update(of=("self",)).select_related("plan").get(pk=request.pk)
    require_decider(actor, request.plan, message="只有该计划审核部门的审核人员可以处理逾期备案特批申请。")
    task = open_task_of(request, flow=LateExceptionFlow, lock=True)
    if request.status != Status.PENDING or task is None:
        raise ValidationError(f"该申请当前为“{request.get_status_display()}”，不能重复处理。")
    return request, task


@transaction.atomic
def late_exception_claim(*, request: LateExceptionRequest, actor: User) -> Task:
    request, _task = _locked(request, actor)
    return task_claim(artifact=request, actor=actor, flow=LateExceptionFlow)


@transaction.atomic
def late_exception_release(*, request: LateExceptionRequest, actor: User) -> Task:
    _locked(request, actor)
    return task_release(artifact=request, actor=actor, flow=LateExceptionFlow)


@transaction.atomic
def late_exception_decide(*, request: LateExceptionRequest, actor: User, grant: bool | None,
                          reason: str) -> LateExceptionRequest:
    """Grant (through plan_grant_late_exception) or refuse; claims an unclaimed task first, atomically."""
    request, _task = _locked(request, actor)
    if grant is None:
        raise ValidationError("请选择“批准”或“不予批准”。")
    task_claim(artifact=request, actor=actor, flow=LateExceptionFlow)
    if not reason.strip():
        raise ValidationError({"reason": "请填写审批意见。"})
    if grant:
        plan_grant_late_exception(plan=request.plan, actor=actor, reason=reason.strip())
    request.status = Status.GRANTED if grant else Status.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    task_complete(artifact=request, actor=actor, flow=LateExceptionFlow)
    _announce(request)
    return request


def _announce(request: LateExceptionRequest) -> int:
    """Tell the organiser's staff and the requester the decision (delivered after the commit)."""
    plan = request.plan
    headline = f"逾期备案特批申请{request.get_status_display()}"
    then = "，可以提交计划备案" if request.status == Status.GRANTED else ""
    return event_notify(
        kind=LATE_DECISION.kind, object_key=f"late-exception:{request.pk}",
        recipients={request.requested_by_id, *organisation_staff(plan.organiser_id, Role.ORGANISER)},
        title=f"{headline}：{plan.filing_no}",
        body=f"“{plan.title}”（{plan.filing_no}）：{headline}{then}。意见：{request.decision_reason}",
        url=reverse("filings:plan_detail", args=[plan.pk]))


def queue_for(user: User) -> QuerySet[LateExceptionRequest]:
    """Pending requests this reviewer's authority decides, with who holds each task; oldest first."""
    if not user.is_active or user.role != Role.REVIEWER or not user.organisation_id:
        return LateExceptionRequest.objects.none()
    return (LateExceptionRequest.objects.filter(status=Status.PENDING, plan__authority_id=user.organisation_id)
            .exclude(plan__organiser_id=user.organisation_id)
            .select_related("plan__organiser", "requested_by")
            .annotate(claimed_by_id=task_holder_id(LateExceptionRequest, flow=LateExceptionFlow))
            .order_by("requested_at", "pk"))

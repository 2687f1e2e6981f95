"""Late-filing exception requests (逾期备案特批申请): requested by the organiser, decided in the inbox.

The task is claimed and decided like plan review: a decision on a task a colleague holds is refused;
deciding an unclaimed task claims it first, in the same transaction (the task row is locked).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import Role, User
from filings.models import TrainingPlan
from filings.permissions import require_decider, require_plan_organiser
from filings.services import EDITABLE_STATES, last_filing_moment, plan_grant_late_exception, plan_lock
from reviews.flows import LateExceptionFlow
from reviews.models import LateExceptionRequest

Status = LateExceptionRequest.Status
OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def open_tasks() -> QuerySet[Task]:
    """Joined on the content type's natural key, so a cold cache costs no extra query on the inbox."""
    return Task.objects.filter(
        flow_task=LateExceptionFlow.decide, status__in=OPEN,
        process__artifact_content_type__app_label=LateExceptionRequest._meta.app_label,
        process__artifact_content_type__model=LateExceptionRequest._meta.model_name,
    )


def _task_of(request: LateExceptionRequest) -> Task | None:
    return open_tasks().filter(process__artifact_object_id=request.pk).select_for_update().first()


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
    LateExceptionFlow.start.run(request=request)
    return request


def _locked(request: LateExceptionRequest, actor: User) -> tuple[LateExceptionRequest, Task]:
    request = LateExceptionRequest.objects.select_for_update(of=("self",)).select_related("plan").get(pk=request.pk)
    require_decider(actor, request.plan, message="只有该计划审核部门的审核人员可以处理逾期备案特批申请。")
    task = _task_of(request)
    if request.status != Status.PENDING or task is None:
        raise ValidationError(f"该申请当前为“{request.get_status_display()}”，不能重复处理。")
    return request, task


def _claim(task: Task, actor: User) -> Task:
    if task.owner_id == actor.pk:
        return task
    if task.owner_id:
        raise ValidationError(f"该任务已由 {task.owner} 认领，只有认领人可以处理。")
    with task.activation() as activation:
        activation.assign(actor)
    task.refresh_from_db()
    return task


@transaction.atomic
def late_exception_claim(*, request: LateExceptionRequest, actor: User) -> Task:
    request, task = _locked(request, actor)
    return _claim(task, actor)


@transaction.atomic
def late_exception_release(*, request: LateExceptionRequest, actor: User) -> Task:
    request, task = _locked(request, actor)
    if task.owner_id != actor.pk:
        raise ValidationError("该任务不在您的待办中（未认领或已由他人认领），无需释放。")
    with task.activation() as activation:
        activation.unassign()
    return task


@transaction.atomic
def late_exception_decide(*, request: LateExceptionRequest, actor: User, grant: bool | None,
                          reason: str) -> LateExceptionRequest:
    """Grant (through plan_grant_late_exception) or refuse; claims an unclaimed task first, atomically."""
    request, task = _locked(request, actor)
    if grant is None:
        raise ValidationError("请选择“批准”或“不予批准”。")
    task = _claim(task, actor)
    if not reason.strip():
        raise ValidationError({"reason": "请填写审批意见。"})
    if grant:
        plan_grant_late_exception(plan=request.plan, actor=actor, reason=reason.strip())
    request.status = Status.GRANTED if grant else Status.REFUSED
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    with task.activation() as activation:
        activation.start(None)
        activation.execute()
    return request


def queue_for(user: User) -> QuerySet[LateExceptionRequest]:
    """Pending requests this reviewer's authority decides, with who holds each task; oldest first."""
    if not user.is_active or user.role != Role.REVIEWER or not user.organisation_id:
        return LateExceptionRequest.objects.none()
    holder = open_tasks().filter(process__artifact_object_id=OuterRef("pk")).values("owner_id")[:1]
    return (LateExceptionRequest.objects.filter(status=Status.PENDING, plan__authority_id=user.organisation_id)
            .exclude(plan__organiser_id=user.organisation_id)
            .select_related("plan__organiser", "requested_by")
            .annotate(claimed_by_id=Subquery(holder))
            .order_by("requested_at", "pk"))

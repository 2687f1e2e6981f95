"""Steps of the review process, called from the plan services inside their transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Task

from accounts.models import User
from workflows.flows import PlanReviewFlow
from workflows.selectors import claimed_by, open_review_task_of


def _open_task(plan) -> Task | None:
    return open_review_task_of(plan, lock=True)


def review_open(*, plan) -> None:
    """Start a review process whose task waits in the queue of the plan's authority."""
    PlanReviewFlow.start.run(plan=plan)


def review_claim(*, plan, actor: User) -> Task:
    task = _open_task(plan)
    if task is None:
        raise ValidationError("该计划没有待办的审核任务。")
    if task.owner_id == actor.pk:
        return task
    if task.owner_id:
        raise ValidationError(f"该审核任务已由 {task.owner} 认领。")
    with task.activation() as activation:
        activation.assign(actor)
    return task


def review_release(*, plan, actor: User) -> Task:
    task = _open_task(plan)
    if task is None or task.owner_id != actor.pk:
        raise PermissionDenied("只有认领该任务的审核人员可以释放它。")
    with task.activation() as activation:
        activation.unassign()
    return task


def review_complete(*, plan, actor: User) -> None:
    """Close the review task with the decision's actor (claiming it first if nobody has)."""
    task = review_claim(plan=plan, actor=actor)
    task.refresh_from_db()
    with task.activation() as activation:
        activation.start(None)
        activation.execute()


def review_cancel(*, plan) -> None:
    """The organiser withdrew the plan: the open task is cancelled."""
    task = _open_task(plan)
    if task is not None:
        with task.activation() as activation:
            activation.cancel()


__all__ = ["claimed_by", "review_cancel", "review_claim", "review_complete", "review_open", "review_release"]

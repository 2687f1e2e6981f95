"""Steps of every authority task (the one task helper), called from the services of each kind inside
their transaction, and the plan review process that filings calls through `filings.review_process`.

A task is claimed by one person; a decision on a task a colleague holds is refused; deciding an
unclaimed task claims it first. The task row is locked (select_for_update) for the rest of the
caller's transaction, so two reviewers deciding at once are serialised and the second is refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from viewflow.workflow.models import Task

from accounts.models import User
from workflows.flows import PlanReviewFlow
from workflows.selectors import claimed_by, may_use_inbox, open_task_of, task_locked


# --- any kind --------------------------------------------------------------------------------------
def task_open(*, flow, artifact) -> None:
    """Open the task of `artifact` in the queue its flow routes it to (the flow records the routing)."""
    flow.start.run(artifact=artifact)


def _claim(task: Task, actor: User) -> Task:
    if task.owner_id == actor.pk:
        return task
    if task.owner_id:
        raise ValidationError(f"该任务已由 {task.owner} 认领，只有认领人可以处理。")
    with task.activation() as activation:
        activation.assign(actor)
    task.refresh_from_db()
    return task


def _release(task: Task | None, actor: User) -> Task:
    if task is None or task.owner_id is None:
        raise ValidationError("该任务未被认领（或已处理完毕），无需释放。")
    if task.owner_id != actor.pk:
        raise PermissionDenied("只有认领该任务的审核人员可以释放它。")
    with task.activation() as activation:
        activation.unassign()
    return task


def task_claim(*, artifact, actor: User, flow=None, required: bool = True) -> Task | None:
    """认领: the caller has checked that `actor` may decide `artifact`. Without `required`, an object
    whose task is missing (reconcile reports it) is no reason to refuse the work."""
    task = open_task_of(artifact, flow=flow, lock=True)
    if task is None:
        if required:
            raise ValidationError("该事项没有待办的审核任务。")
        return None
    return _claim(task, actor)


def task_release(*, artifact, actor: User, flow=None) -> Task:
    """释放: only the holder puts the task back into the queue."""
    return _release(open_task_of(artifact, flow=flow, lock=True), actor)


def task_complete(*, artifact, actor: User | None, flow=None) -> Task | None:
    """Close the task with the decision's actor, claiming it first if nobody holds it (refused when a
    colleague does). Without an actor (the clock decided) or without an open task, nothing is claimed."""
    task = open_task_of(artifact, flow=flow, lock=True)
    if task is None:
        return None
    if actor is None:
        return task_cancel(artifact=artifact, flow=flow)
    task = _claim(task, actor)
    with task.activation() as activation:
        activation.start(None)
        activation.execute()
    return task


def task_cancel(*, artifact, flow=None) -> Task | None:
    """The decision is no longer needed (withdrawn, moved on): the open task is cancelled."""
    task = open_task_of(artifact, flow=flow, lock=True)
    if task is not None:
        with task.activation() as activation:
            activation.cancel()
    return task


def task_holder(artifact, *, flow=None) -> User | None:
    """Who holds the open task of `artifact`, if anyone does."""
    task = open_task_of(artifact, flow=flow)
    return task.owner if task else None


def _may_act_on(task: Task, actor: User) -> bool:
    data = task.process.data or {}
    return (may_use_inbox(actor) and data.get("authority_id") == actor.organisation_id
            and data.get("organiser_id") != actor.organisation_id)


@transaction.atomic
def inbox_task_claim(*, task_id: int, actor: User) -> Task:
    """认领 from the inbox, for a task of any kind routed to the actor's authority."""
    task = task_locked(task_id)
    if task is None:
        raise ValidationError("该任务已处理完毕或已撤销，请刷新页面。")
    if not _may_act_on(task, actor):
        raise PermissionDenied("该任务不属于本部门的待办，不能认领。")
    return _claim(task, actor)


@transaction.atomic
def inbox_task_release(*, task_id: int, actor: User) -> Task:
    task = task_locked(task_id)
    if task is not None and not _may_act_on(task, actor):
        raise PermissionDenied("该任务不属于本部门的待办。")
    return _release(task, actor)


# --- plan review (filings.review_process) ---------------------------------------------------------
def review_open(*, plan) -> None:
    """Start a review process whose task waits in the queue of the plan's authority."""
    task_open(flow=PlanReviewFlow, artifact=plan)


def review_claim(*, plan, actor: User) -> Task:
    return task_claim(artifact=plan, actor=actor, flow=PlanReviewFlow)


def review_release(*, plan, actor: User) -> Task:
    return task_release(artifact=plan, actor=actor, flow=PlanReviewFlow)


def review_complete(*, plan, actor: User) -> None:
    """Close the review task with the decision's actor (claiming it first if nobody has)."""
    if task_complete(artifact=plan, actor=actor, flow=PlanReviewFlow) is None:
        raise ValidationError("该计划没有待办的审核任务。")


def review_cancel(*, plan) -> None:
    """The organiser withdrew the plan: the open task is cancelled."""
    task_cancel(artifact=plan, flow=PlanReviewFlow)


__all__ = ["claimed_by", "inbox_task_claim", "inbox_task_release", "review_cancel", "review_claim",
           "review_complete", "review_open", "review_release", "task_cancel", "task_claim", "task_complete",
           "task_holder", "task_open", "task_release"]

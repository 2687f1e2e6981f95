"""Steps of an application's review task, called from the application services inside their transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import User
from ledger.flows import ApplicationReviewFlow

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def open_tasks(model):
    """Open review tasks of applications of `model` (for subqueries on the queue). The content type is
    joined, not looked up, so that a page listing them costs no extra query on a cold cache."""
    return Task.objects.filter(
        flow_task=ApplicationReviewFlow.review, status__in=OPEN,
        process__artifact_content_type__app_label=model._meta.app_label,
        process__artifact_content_type__model=model._meta.model_name,
    )


def _open_task(application) -> Task | None:
    return open_tasks(type(application)).select_for_update().filter(
        process__artifact_object_id=application.pk).first()


def task_open(*, application) -> None:
    ApplicationReviewFlow.start.run(application=application)


def task_claim(*, application, actor: User) -> Task:
    task = _open_task(application)
    if task is None:
        raise ValidationError("该申请没有待办的审核任务。")
    if task.owner_id == actor.pk:
        return task
    if task.owner_id:
        raise ValidationError(f"该审核任务已由 {task.owner} 认领。")
    with task.activation() as activation:
        activation.assign(actor)
    return task


def task_release(*, application, actor: User) -> Task:
    task = _open_task(application)
    if task is None or task.owner_id != actor.pk:
        raise PermissionDenied("只有认领该任务的审核人员可以释放它。")
    with task.activation() as activation:
        activation.unassign()
    return task


def task_complete(*, application, actor: User) -> None:
    """Close the task with the decision's actor (claiming it first if nobody has)."""
    task = task_claim(application=application, actor=actor)
    task.refresh_from_db()
    with task.activation() as activation:
        activation.start(None)
        activation.execute()

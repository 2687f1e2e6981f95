"""The one place that knows viewflow's task fields: which task is open for an object, who holds it,
the review queue of plans built on it, and the one inbox of every kind of authority task.

Every decision that waits for an authority is a viewflow process whose artifact is the object
decided (a plan, a request, an application, an inspection) and whose single human task is open
while the decision waits. The process data says where the task is routed and what it is about
(`workflows.task_data`), so the inbox is one query over tasks whatever their kind.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import Role, User
from common.task_routing import due_text
from filings.models import PlanState, TrainingPlan
from filings.selectors import plans_visible_to
from ledger.flows import ApplicationReviewFlow
from ledger.models import ApplicationState
from ledger.selectors import applications_visible_to
from workflows.flows import PlanReviewFlow

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def _due():
    """The task's deadline as text (common.task_routing.due_text sorts as the moments do)."""
    return Cast(KeyTextTransform("due", "process__data"), output_field=CharField())


def may_use_inbox(user: User) -> bool:
    """The inbox is the reviewers' (审核人员) of an authority."""
    return bool(user.is_active and user.role == Role.REVIEWER and user.organisation_id)


# --- tasks of any kind ------------------------------------------------------------------------
def open_tasks_of_model(model, *, flow=None) -> QuerySet[Task]:
    """Open tasks whose artifact is a `model` row (of `flow`, when given). The content type is joined on
    its natural key, not looked up, so a page listing them costs no extra query on a cold cache."""
    tasks = Task.objects.filter(
        status__in=OPEN,
        process__artifact_content_type__app_label=model._meta.app_label,
        process__artifact_content_type__model=model._meta.model_name,
    )
    return tasks.filter(process__flow_class=flow) if flow is not None else tasks


def open_task_of(artifact, *, flow=None, lock: bool = False) -> Task | None:
    """The open task of `artifact` (locked for the rest of the transaction with `lock`)."""
    tasks = open_tasks_of_model(type(artifact), flow=flow).filter(process__artifact_object_id=artifact.pk)
    if lock:
        return tasks.select_for_update(of=("self",)).select_related("owner").first()
    return tasks.select_related("owner").first()


def task_holder_id(model, *, flow=None) -> Subquery:
    """For annotating a queryset of `model`: the id of the user holding its open task, if any."""
    tasks = open_tasks_of_model(model, flow=flow).filter(process__artifact_object_id=OuterRef("pk"))
    return Subquery(tasks.values("owner_id")[:1])


def open_task_counts(model, *, flow=None) -> dict[int, int]:
    """Open tasks per artifact id (more than one is a fault)."""
    rows = open_tasks_of_model(model, flow=flow).values_list("process__artifact_object_id").annotate(n=Count("id"))
    return dict(rows)


def task_locked(task_id: int) -> Task | None:
    """An open task by id, locked, with its process (for claiming from the inbox)."""
    return (Task.objects.filter(pk=task_id, status__in=OPEN).select_for_update(of=("self",))
            .select_related("process", "owner").first())


# --- plan review (培训计划审核) ----------------------------------------------------------------
def open_review_tasks() -> QuerySet[Task]:
    """Review tasks of plans not yet done or cancelled."""
    return Task.objects.filter(
        flow_task=PlanReviewFlow.review, status__in=OPEN,
        process__artifact_content_type=ContentType.objects.get_for_model(TrainingPlan),
    )


def open_review_task_of(plan: TrainingPlan, *, lock: bool = False) -> Task | None:
    return open_task_of(plan, flow=PlanReviewFlow, lock=lock)


def claimed_by(plan: TrainingPlan) -> User | None:
    """The reviewer holding the plan's open review task, if anyone does."""
    task = open_review_task_of(plan)
    return task.owner if task else None


def open_review_task_counts() -> dict[int, int]:
    """Open review tasks per plan id (more than one is a fault)."""
    return open_task_counts(TrainingPlan, flow=PlanReviewFlow)


def review_queue_for(user: User) -> QuerySet[TrainingPlan]:
    """Submitted plans this reviewer's authority must decide, soonest training first."""
    if not may_use_inbox(user):
        return TrainingPlan.objects.none()
    return (
        plans_visible_to(user)
        .filter(state=PlanState.SUBMITTED, authority_id=user.organisation_id)
        .exclude(organiser_id=user.organisation_id)
        .annotate(claimed_by_id=task_holder_id(TrainingPlan, flow=PlanReviewFlow))
        .order_by("starts_at", "pk")
    )


def review_inbox_for(user: User) -> QuerySet[TrainingPlan]:
    """我的待办: plans whose review task this reviewer has claimed."""
    return review_queue_for(user).filter(claimed_by_id=user.pk)


def review_pool_for(user: User) -> QuerySet[TrainingPlan]:
    """待认领: plans of the authority whose task nobody has claimed yet."""
    return review_queue_for(user).filter(claimed_by_id__isnull=True)


# --- credit applications and circumstance records (学时认定、减免情形) -----------------------------
def application_queue_for(user: User, model) -> QuerySet:
    """Submitted applications this user's organisation must decide, oldest first, with who claimed each:
    a reviewer's authority, never for its own organisation's staff; an employer's HR, where the rules
    name the unit itself (ledger.selectors.application_authority). Never the filer's or their own."""
    if not (user.is_active and user.role in (Role.REVIEWER, Role.EMPLOYER_HR) and user.organisation_id):
        return model.objects.none()
    queue = applications_visible_to(user, model).filter(state=ApplicationState.SUBMITTED,
                                                        authority_id=user.organisation_id)
    if user.role == Role.REVIEWER:
        queue = queue.exclude(person__employer_organisation_id=user.organisation_id)
    return (queue.exclude(filed_by=user).exclude(person__user=user)
            .annotate(claimed_by_id=task_holder_id(model, flow=ApplicationReviewFlow))
            .order_by("filed_at", "pk"))


# --- the one inbox ---------------------------------------------------------------------------------
def authority_tasks_for(user: User) -> QuerySet[Task]:
    """Every open task routed to the user's authority, of any kind, never about the user's own organisation;
    annotated with `due` (the deadline that applies, as sortable text) and `waiting_since`."""
    if not may_use_inbox(user):
        return Task.objects.none()
    return (
        Task.objects.filter(status__in=OPEN, process__data__authority_id=user.organisation_id)
        .exclude(process__data__organiser_id=user.organisation_id)
        .select_related("process__artifact_content_type", "owner")
        .annotate(due=_due())
    )


def authority_tasks_mine(tasks: QuerySet[Task], user: User) -> QuerySet[Task]:
    return tasks.filter(owner_id=user.pk)


def authority_tasks_pool(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(owner__isnull=True)


def authority_tasks_overdue(tasks: QuerySet[Task], now: dt.datetime) -> QuerySet[Task]:
    return tasks.filter(due__lt=due_text(now))


def authority_task_counts(user: User) -> dict[tuple, int]:
    """Open tasks of the user's authority per (flow, artifact model name), for the home page."""
    rows = (authority_tasks_for(user).order_by()
            .values_list("process__flow_class", "process__artifact_content_type__model").annotate(n=Count("id")))
    return {(flow, model): n for flow, model, n in rows}


def open_authority_tasks() -> QuerySet[Task]:
    """Every open authority task (for deadline sweeps and reconciliation)."""
    return (Task.objects.filter(status__in=OPEN).select_related("process")
            .annotate(due=_due()))

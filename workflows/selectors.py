"""The one place that knows viewflow's task fields: which review task is open for a plan,
who holds it, and the review queue built on it."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import Role, User
from filings.models import PlanState, TrainingPlan
from filings.selectors import plans_visible_to
from workflows.flows import PlanReviewFlow

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def open_review_tasks() -> QuerySet[Task]:
    """Review tasks of plans not yet done or cancelled."""
    return Task.objects.filter(
        flow_task=PlanReviewFlow.review, status__in=OPEN,
        process__artifact_content_type=ContentType.objects.get_for_model(TrainingPlan),
    )


def open_review_task_of(plan: TrainingPlan, *, lock: bool = False) -> Task | None:
    tasks = open_review_tasks().filter(process__artifact_object_id=plan.pk)
    return (tasks.select_for_update() if lock else tasks.select_related("owner")).first()


def claimed_by(plan: TrainingPlan) -> User | None:
    """The reviewer holding the plan's open review task, if anyone does."""
    task = open_review_task_of(plan)
    return task.owner if task else None


def open_review_task_counts() -> dict[int, int]:
    """Open review tasks per plan id (more than one is a fault)."""
    return dict(open_review_tasks().values_list("process__artifact_object_id").annotate(n=Count("id")))


def review_queue_for(user: User) -> QuerySet[TrainingPlan]:
    """Submitted plans this reviewer's authority must decide, soonest training first."""
    if not user.is_active or user.role != Role.REVIEWER or not user.organisation_id:
        return TrainingPlan.objects.none()
    holder = open_review_tasks().filter(process__artifact_object_id=OuterRef("pk")).values("owner_id")[:1]
    return (
        plans_visible_to(user)
        .filter(state=PlanState.SUBMITTED, authority_id=user.organisation_id)
        .exclude(organiser_id=user.organisation_id)
        .annotate(claimed_by_id=Subquery(holder))
        .order_by("starts_at", "pk")
    )


def review_inbox_for(user: User) -> QuerySet[TrainingPlan]:
    """我的待办: plans whose review task this reviewer has claimed."""
    return review_queue_for(user).filter(claimed_by_id=user.pk)


def review_pool_for(user: User) -> QuerySet[TrainingPlan]:
    """待认领: plans of the authority whose task nobody has claimed yet."""
    return review_queue_for(user).filter(claimed_by_id__isnull=True)

"""Reads of training plans, already scoped to the user (deny by default)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Role, User
from accounts.selectors import scope_q
from filings.models import PlanState, TrainingPlan


def plans_visible_to(user: User) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.filter(scope_q(user, organisation_field="organiser")).select_related(
        "organiser__division", "authority"
    )


def review_queue_for(user: User) -> QuerySet[TrainingPlan]:
    """Submitted plans this reviewer's authority must decide, soonest training first."""
    if not user.is_active or user.role != Role.REVIEWER or not user.organisation_id:
        return TrainingPlan.objects.none()
    return (
        plans_visible_to(user)
        .filter(state=PlanState.SUBMITTED, authority_id=user.organisation_id)
        .exclude(organiser_id=user.organisation_id)
        .annotate(claimed_by_id=Subquery(_open_review_tasks().values("owner_id")[:1]))
        .order_by("starts_at", "pk")
    )


def _open_review_tasks():
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.flows import PlanReviewFlow

    return Task.objects.filter(
        flow_task=PlanReviewFlow.review,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
        process__artifact_object_id=OuterRef("pk"),
        process__artifact_content_type=ContentType.objects.get_for_model(TrainingPlan),
    )


def review_inbox_for(user: User) -> QuerySet[TrainingPlan]:
    """我的待办: plans whose review task this reviewer has claimed."""
    return review_queue_for(user).filter(claimed_by_id=user.pk)


def review_pool_for(user: User) -> QuerySet[TrainingPlan]:
    """待认领: plans of the authority whose task nobody has claimed yet."""
    return review_queue_for(user).filter(claimed_by_id__isnull=True)

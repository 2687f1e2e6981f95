"""Reads of training plans, already scoped to the user (deny by default)."""

from __future__ import annotations

from django.db.models import QuerySet

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
        .order_by("starts_at", "pk")
    )

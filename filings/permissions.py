"""Who may act on a training plan. Services, views, roster and report code ask here; each
question has a form that answers (`is_…`, `can_…`) and one that raises (`require_…`).

The transitions of `TrainingPlan` name these predicates as their `permission`, so that
`has_transition_perm` (and `filings.selectors.plan_actions`) give the same answer as the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from accounts.models import Role
from accounts.permissions import is_organiser_of, is_reviewer_of

if TYPE_CHECKING:
    from accounts.models import User
    from filings.models import TrainingPlan

NOT_ORGANISER = "只有本单位的培训组织经办人可以办理此事项。"
NOT_DECIDER = "您不是该计划审核部门的审核人员，或该计划由本单位组织，不能办理。"


def is_organiser(user: User) -> bool:
    """The user files plans for some organisation (a 培训组织单位经办人)."""
    return bool(user.is_active and user.role == Role.ORGANISER and user.organisation_id)


def require_organiser(user: User, *, message: str) -> None:
    if not is_organiser(user):
        raise PermissionDenied(message)


def is_plan_organiser(user: User, plan: TrainingPlan) -> bool:
    """The user files for the plan's organiser (培训组织单位经办人)."""
    return is_organiser_of(user, plan.organiser_id)


def require_plan_organiser(user: User, plan: TrainingPlan, *, message: str = NOT_ORGANISER) -> None:
    if not is_plan_organiser(user, plan):
        raise PermissionDenied(message)


def can_decide(plan: TrainingPlan, user: User) -> bool:
    """Reviewers of the plan's authority decide, never on their own organisation's plan."""
    return is_reviewer_of(user, plan.authority_id) and user.organisation_id != plan.organiser_id


def require_decider(user: User, plan: TrainingPlan, *, message: str = NOT_DECIDER) -> None:
    if not can_decide(plan, user):
        raise PermissionDenied(message)


# --- transition permissions: (instance, user) -> bool, as django-fsm expects ----------------

def organiser_may(plan: TrainingPlan, user: User) -> bool:
    return is_plan_organiser(user, plan)


def decider_may(plan: TrainingPlan, user: User) -> bool:
    return can_decide(plan, user)


def certifier_may(plan: TrainingPlan, user: User) -> bool:
    """Who certifies by the rules in force (filings.certifying), not the plan's reviewing authority as such."""
    from filings.certifying import can_certify

    return can_certify(plan, user)


def nobody_may(plan: TrainingPlan, user: User) -> bool:
    """Moves made by the clock, never offered to a person."""
    return False

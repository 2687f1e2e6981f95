"""Reads of training plans, already scoped to the user (deny by default)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django_fsm import can_proceed, has_transition_perm

from accounts.models import Role, User
from accounts.selectors import scope_q
from filings.models import TrainingPlan


def plans_visible_to(user: User) -> QuerySet[TrainingPlan]:
    """By scope; and an employer's HR sees its own unit's plans, whose hours the rules may have it certify
    (filings.certifying)."""
    scope = scope_q(user, organisation_field="organiser")
    if user.is_authenticated and user.is_active and user.role == Role.EMPLOYER_HR and user.organisation_id:
        scope = Q(organiser_id=user.organisation_id)
    return TrainingPlan.objects.filter(scope).select_related("organiser__division", "authority")


def plans_listed_for(user: User) -> QuerySet[TrainingPlan]:
    """The plan list: the user's visible plans, newest start first. An organiser sees their own
    drafts; everyone else sees filed plans only: a plan never submitted (a draft, or a draft the organiser
    cancelled) is the organiser's own work."""
    plans = plans_visible_to(user)
    if user.role != Role.ORGANISER:
        plans = plans.filter(submitted_at__isnull=False)
    return plans.order_by("-starts_at", "-pk")


@dataclass(frozen=True)
class PlanAction:
    """A move the user may make on the plan page now, as the state machine and permissions say."""

    method: str  # the transition, e.g. "submit"
    label: str
    url: str
    style: str = ""  # "", "secondary" or "danger"
    reason_label: str = ""  # a reason box goes with the button when set


# What the plan page offers, in the order it shows them: (transition, label, url name and args, style, reason box).
_ORGANISER_ACTIONS = (
    ("submit", "提交审核", "filings:plan_submit", (), "", ""),
    ("withdraw", "撤回", "filings:plan_withdraw", (), "secondary", ""),
    ("cancel", "取消培训", "filings:plan_cancel", (), "danger", "取消原因"),
)
_DECISIONS = (
    ("approve", "同意备案", "filings:plan_decide", ("approve",), "", ""),
    ("return_for_revision", "退回修改", "filings:plan_decide", ("return",), "secondary", ""),
    ("reject", "不予备案", "filings:plan_decide", ("reject",), "danger", ""),
)


def _offered(user: User, plan: TrainingPlan, table) -> list[PlanAction]:
    actions = []
    for method, label, url_name, args, style, reason_label in table:
        transition = getattr(plan, method)
        if can_proceed(transition) and has_transition_perm(transition, user):
            actions.append(PlanAction(method, label, reverse(url_name, args=[plan.pk, *args]), style, reason_label))
    return actions


def plan_actions(user: User, plan: TrainingPlan) -> dict[str, list[PlanAction]]:
    """The buttons of the plan page, from `can_proceed` and `has_transition_perm`:
    `organiser` (submit, withdraw, cancel) and `decision` (approve, return, reject)."""
    return {"organiser": _offered(user, plan, _ORGANISER_ACTIONS), "decision": _offered(user, plan, _DECISIONS)}

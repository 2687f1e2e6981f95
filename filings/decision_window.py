"""经审核后组织开展培训: a plan still undecided when its training starts can no longer be approved.

The rule is the rule set's `decide_before_start` (rules migration 0008): such a plan can be rejected
by the reviewer or withdrawn by the organiser, never approved or returned for another round. A
late-filing exception (逾期备案特批) only lets a plan be submitted later than the lead time; it does
not let a training that has begun be filed afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from filings.models import PlanState, TrainingPlan
from notifications.events import EventKind, event_notify, register_event_kind
from rules.selectors import policy_for

# The log line that marks a plan whose organiser was told; written once per plan.
UNDECIDED_AT_START = "培训开始时计划仍未审核完毕"
CLOSED_DECISIONS = ("approve", "return")
UNDECIDED = register_event_kind(EventKind("plan_undecided_at_start", "培训开始时计划仍未审核"))


def approval_closed(plan: TrainingPlan, now: dt.datetime | None = None) -> bool:
    """True when the training has started and the rules in force require a decision before it."""
    if (now or timezone.now()) < plan.starts_at:
        return False
    policy = policy_for(division=plan.organiser.division, on=timezone.localtime(plan.starts_at).date())
    return bool(policy.params.get("decide_before_start"))


def closed_message(plan: TrainingPlan) -> str:
    start = timezone.localtime(plan.starts_at)
    return (
        f"培训已于 {start:%Y年%m月%d日 %H:%M} 开始，计划未在开始前审核完毕。按通知“经审核后组织开展培训”，"
        "不能再同意备案或退回修改：审核部门可作出不予备案决定，组织单位可撤回。"
        "逾期备案特批只放宽提交期限，不能使已开始的培训补办备案。"
    )


def check_decision(plan: TrainingPlan, decision: str, now: dt.datetime | None = None) -> str:
    """The refusal for a decision the rule no longer allows, or ""."""
    if decision in CLOSED_DECISIONS and approval_closed(plan, now):
        return closed_message(plan)
    return ""


def _organiser_ids(plan: TrainingPlan) -> set[int]:
    return set(User.objects.filter(role=Role.ORGANISER, organisation_id=plan.organiser_id, is_active=True)
               .values_list("pk", flat=True))


def plans_undecided_at_start_notify(*, now: dt.datetime | None = None) -> int:
    """Tell each organiser once that their submitted plan's training began undecided; log it on the plan."""
    now = now or timezone.now()
    told = 0
    candidates = (TrainingPlan.objects.filter(state=PlanState.SUBMITTED, starts_at__lte=now)
                  .exclude(transitions__reason=UNDECIDED_AT_START).select_related("organiser__division"))
    from filings.services import plan_transition  # services imports this module for plan_decide

    for plan in candidates:
        if not approval_closed(plan, now):
            continue
        with transaction.atomic():
            locked = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
            if locked.state != PlanState.SUBMITTED or locked.transitions.filter(reason=UNDECIDED_AT_START).exists():
                continue
            plan_transition(plan=locked, method=None, actor=None, reason=UNDECIDED_AT_START)
            event_notify(kind=UNDECIDED.kind, object_key=f"plan-undecided:{plan.pk}", recipients=_organiser_ids(plan),
                         title=f"培训计划 {plan.filing_no} 未在培训开始前审核", body=closed_message(plan),
                         url=reverse("filings:plan_detail", args=[plan.pk]))
            told += 1
    return told

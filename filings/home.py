"""What waits for organisers, and for an employer's HR whose unit certifies its own trainings, for the home
page (portal collects HOME_PANELS)."""

from django.urls import reverse

from accounts.models import Role
from filings.certifying import can_certify
from filings.models import PlanState
from filings.selectors import plans_visible_to


def plan_counts(user):
    if user.role == Role.ORGANISER:
        plans = plans_visible_to(user)
        return [
            {"label": "草稿待提交", "count": plans.filter(state=PlanState.DRAFT).count(), "url": reverse("filings:plan_list")},
            {"label": "退回待修改", "count": plans.filter(state=PlanState.RETURNED).count(), "url": reverse("filings:plan_list")},
        ]
    return []


def unit_certifications(user):
    """Trainings of the user's own unit whose hours the rules have the unit certify (filings.certifying)."""
    if user.role != Role.EMPLOYER_HR:
        return []
    waiting = [plan for plan in plans_visible_to(user).filter(state=PlanState.REPORT_ACCEPTED).order_by("ends_at", "pk")[:200]
               if can_certify(plan, user)]
    if not waiting:
        return []
    # The unit's HR has no plan list; the link opens the training that has waited longest.
    return [{"label": "待本单位核定学时的培训", "count": len(waiting),
             "url": reverse("certification:plan_certification", args=[waiting[0].pk])}]


HOME_PANELS = [plan_counts, unit_certifications]

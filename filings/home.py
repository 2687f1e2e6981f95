"""What waits for organisers, for the home page (portal collects HOME_PANELS)."""

from django.urls import reverse

from accounts.models import Role
from filings.models import PlanState
from filings.selectors import plans_visible_to


def plan_counts(user):
    if user.role == Role.ORGANISER:
        plans = plans_visible_to(user)
        return [
            {"label": "草稿待提交", "count": plans.filter(state=PlanState.DRAFT).count(), "url": reverse("filings:plan_list")},
            {"label": "退回待修改", "count": plans.filter(state=PlanState.RETURNED).count(), "url": reverse("filings:plan_list")},
            {"label": "培训已结束、待提交培训报告", "count": plans.filter(state=PlanState.AWAITING_REPORT).count(),
             "url": f"{reverse('filings:plan_list')}?state={PlanState.AWAITING_REPORT}"},
        ]
    return []


HOME_PANELS = [plan_counts]

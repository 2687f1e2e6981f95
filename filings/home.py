"""What waits for organisers and reviewers, for the home page."""

from django.urls import reverse

from accounts.models import Role
from filings.models import PlanState
from filings.selectors import plans_visible_to, review_queue_for
from portal.selectors import register_home_contributor


@register_home_contributor
def plan_counts(user):
    if user.role == Role.ORGANISER:
        plans = plans_visible_to(user)
        return [
            {"label": "草稿待提交", "count": plans.filter(state=PlanState.DRAFT).count(), "url": reverse("filings:plan_list")},
            {"label": "退回待修改", "count": plans.filter(state=PlanState.RETURNED).count(), "url": reverse("filings:plan_list")},
        ]
    if user.role == Role.REVIEWER:
        return [{"label": "待审核培训计划", "count": review_queue_for(user).count(), "url": reverse("reviews:inbox")}]
    return []

"""What waits for reviewers, for the home page (portal collects HOME_PANELS)."""

from django.urls import reverse

from accounts.models import Role
from workflows.selectors import review_queue_for


def review_counts(user):
    if user.role == Role.REVIEWER:
        return [{"label": "待审核培训计划", "count": review_queue_for(user).count(), "url": reverse("reviews:inbox")}]
    return []


HOME_PANELS = [review_counts]

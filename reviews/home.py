"""What waits for reviewers, for the home page (portal collects HOME_PANELS): the open tasks of the
reviewer's authority, counted per kind, each linking to the inbox filtered to that kind."""

from django.urls import reverse

from accounts.models import Role
from reviews.inbox import KIND_CHOICES, TASK_KINDS
from workflows.selectors import authority_task_counts


def review_counts(user):
    if user.role != Role.REVIEWER:
        return []
    counts = authority_task_counts(user)
    inbox = reverse("reviews:inbox")
    return [{"label": f"待处理：{label}", "count": counts.get(TASK_KINDS[code].process_title, 0),
             "url": f"{inbox}?kind={code}"} for code, label in KIND_CHOICES]


HOME_PANELS = [review_counts]

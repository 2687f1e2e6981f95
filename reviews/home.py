"""What waits for reviewers, for the home page (portal collects HOME_PANELS): the open tasks of the
reviewer's authority, counted per kind, each linking to the inbox filtered to that kind."""

from django.urls import reverse

from accounts.models import Role
from workflows.selectors import authority_task_counts
from workflows.task_kinds import task_kinds


def review_counts(user):
    if user.role != Role.REVIEWER:
        return []
    counts = authority_task_counts(user)
    inbox = reverse("reviews:inbox")
    return [{"label": f"待处理：{kind.label}", "count": counts.get((kind.flow, kind.model._meta.model_name), 0),
             "url": f"{inbox}?kind={kind.code}"} for kind in task_kinds()]


HOME_PANELS = [review_counts]

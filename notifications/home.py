"""The deadline radar on the home page: the user's own deadlines, nearest first, with days left
(portal collects HOME_PANELS)."""

from django.urls import reverse
from django.utils import timezone

from notifications.selectors import radar_for

RADAR_ON_HOME = 8


def deadline_radar(user):
    items = radar_for(user=user)[:RADAR_ON_HOME]
    fallback = reverse("notifications:deadlines")
    return [{"label": f"{item.deadline.title}（截止 {_day(item)}）", "count": item.when,
             "url": item.deadline.url or fallback, "kind": "deadline"} for item in items]


def _day(item) -> str:
    return f"{timezone.localtime(item.deadline.due_at):%Y-%m-%d}"


HOME_PANELS = [deadline_radar]

"""The deadline radar on the home page: the user's own deadlines, nearest first, with days left."""

from django.urls import reverse

from notifications.selectors import radar_for
from portal.selectors import register_home_contributor

RADAR_ON_HOME = 8


@register_home_contributor
def deadline_radar(user):
    items = radar_for(user=user)[:RADAR_ON_HOME]
    fallback = reverse("notifications:deadlines")
    return [{"label": f"{item.deadline.title}（截止 {_day(item)}）", "count": item.when,
             "url": item.deadline.url or fallback, "kind": "deadline"} for item in items]


def _day(item) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(item.deadline.due_at):%Y-%m-%d}"

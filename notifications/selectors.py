"""Reads of notifications: the user's messages, unread count, channel choices and deadline radar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from jurisdiction.calendar import local_date
from notifications.channels import DEFAULT_ENABLED
from notifications.deadlines import Deadline, sources
from notifications.deadlines.context import SweepContext
from notifications.events import notified_kinds
from notifications.models import Channel, ChannelPreference, Notification
from notifications.schedules import schedules, step_due

RADAR_PAST_DAYS = 30
RADAR_AHEAD_DAYS = 60


def notifications_for(*, user: User):
    return Notification.objects.filter(user=user)


def unread_count_for(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class RadarItem:
    deadline: Deadline
    days_left: int

    @property
    def when(self) -> str:
        if self.days_left > 0:
            return f"剩{self.days_left}天"
        return "今天截止" if self.days_left == 0 else f"逾期{-self.days_left}天"


def _concerns(user: User, deadline: Deadline, escalate_from: int | None, now: dt.datetime) -> bool:
    if user.pk in deadline.recipients:
        return True
    return (user.pk in deadline.escalate_to and escalate_from is not None
            and step_due(deadline.due_at, escalate_from) <= now)


def radar_for(*, user: User, now: dt.datetime | None = None) -> list[RadarItem]:
    """The user's own open deadlines, nearest first, with the days left (negative: overdue)."""
    now = now or timezone.now()
    ctx, schedule_of = SweepContext(now), schedules()
    start, end = now - dt.timedelta(days=RADAR_PAST_DAYS), now + dt.timedelta(days=RADAR_AHEAD_DAYS)
    items = []
    for source in sources():
        for deadline in source.collect(ctx, start, end, user=user):
            if _concerns(user, deadline, schedule_of[source.kind].escalate_from, now):
                days = (local_date(deadline.due_at) - local_date(now)).days
                items.append(RadarItem(deadline, days))
    return sorted(items, key=lambda item: item.deadline.due_at)


def preference_table_for(*, user: User) -> list[dict]:
    """One row per deadline kind: the switchable channels and whether each is on."""
    chosen = {(p.kind, p.channel): p.enabled for p in ChannelPreference.objects.filter(user=user)}
    rows = []
    for kind, label, channels in notified_kinds():
        switchable = [c for c in channels if c != Channel.INAPP]
        rows.append({"kind": kind, "label": label, "channels": [
            {"channel": c, "label": Channel(c).label, "enabled": chosen.get((kind, c), DEFAULT_ENABLED[c])}
            for c in switchable]})
    return rows

"""Reminder steps per deadline kind: the source's defaults, overridden by ReminderSchedule rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from jurisdiction.calendar import local_date
from notifications.deadlines import sources
from notifications.models import ReminderSchedule


@dataclass(frozen=True)
class Schedule:
    offsets: tuple[int, ...]
    escalate_from: int | None = None

    def is_escalation(self, offset: int) -> bool:
        return self.escalate_from is not None and offset >= self.escalate_from

    def window(self, now: dt.datetime, catchup_days: int) -> tuple[dt.datetime, dt.datetime]:
        """Deadlines that may have a step due now lie in this window (plus a catch-up margin)."""
        before = max(0, -min(self.offsets))
        after = max(0, max(self.offsets))
        return now - dt.timedelta(days=after + catchup_days), now + dt.timedelta(days=before + 1)


def schedules() -> dict[str, Schedule]:
    found = {s.kind: Schedule(tuple(sorted(s.offsets)), s.escalate_from) for s in sources()}
    for row in ReminderSchedule.objects.all():
        found[row.kind] = Schedule(tuple(sorted(int(o) for o in row.offsets)), row.escalate_from)
    return found


def send_hour() -> int:
    return getattr(settings, "NOTIFICATIONS_SEND_HOUR", 8)


def step_due(deadline_at: dt.datetime, offset: int) -> dt.datetime:
    """When a step falls due: the send hour of the local day `offset` days from the deadline's day,
    and never after the deadline itself for the steps before or on the day."""
    day = local_date(deadline_at) + dt.timedelta(days=offset)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(send_hour())))
    return min(moment, deadline_at) if offset <= 0 else moment

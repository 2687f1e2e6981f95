"""Announcements of decisions (events, not deadlines) through the same reminder and delivery rows.

An app registers the kinds of event it announces (`register_event_kind`, from its AppConfig.ready())
and calls `event_notify` when the decision is taken. Each recipient gets one Reminder row (step 0,
due now) keyed by (kind, object_key, recipient, step): announcing the same event twice adds nothing.
The rows are claimed at once, their Delivery rows follow the recipient's channel choices for the
kind, and delivery is enqueued after the commit, exactly as the sweep does for deadlines; a row left
unclaimed (a crash before the claim) is claimed by the next sweep, and one claimed but not sent is
redispatched after the lease. This module knows no app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from notifications.deadlines import ALL_CHANNELS, sources
from notifications.models import Reminder

EVENT_STEP = 0
CHUNK = 2000


@dataclass(frozen=True)
class EventKind:
    kind: str
    label: str
    channels: tuple[str, ...] = ALL_CHANNELS


_KINDS: dict[str, EventKind] = {}


def register_event_kind(kind: EventKind) -> EventKind:
    _KINDS[kind.kind] = kind
    return kind


def event_kind(kind: str) -> EventKind | None:
    return _KINDS.get(kind)


def event_kinds() -> list[EventKind]:
    return list(_KINDS.values())


def is_event(reminder: Reminder) -> bool:
    return reminder.kind in _KINDS


def notified_kinds() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every kind a user may choose channels for: deadline sources, then events (kind, label, channels)."""
    return ([(s.kind, s.label, s.channels) for s in sources()]
            + [(e.kind, e.label, e.channels) for e in event_kinds()])


def event_notify(*, kind: str, object_key: str, recipients: Iterable[int], title: str, body: str,
                 url: str = "", now: dt.datetime | None = None) -> int:
    """Announce one event to each recipient; return how many recipients were newly told.

    Call it inside the transaction that takes the decision: the rows commit with it, and delivery
    starts after the commit (a rolled-back decision announces nothing).
    """
    from notifications.sweep import claim_and_enqueue

    if kind not in _KINDS:
        raise ValueError(f"未登记的通知类别：{kind}")
    now = now or timezone.now()
    recipients = sorted(set(recipients))
    if not recipients:
        return 0
    key, told = object_key[:120], 0
    for i in range(0, len(recipients), CHUNK):
        chunk = recipients[i:i + CHUNK]
        Reminder.objects.bulk_create(
            [Reminder(kind=kind, object_key=key, recipient_id=user_id, step=EVENT_STEP, deadline_at=now,
                      due_at=now, title=title[:200], action=body[:200], url=url[:200]) for user_id in chunk],
            ignore_conflicts=True)
        fresh = list(Reminder.objects.filter(kind=kind, object_key=key, recipient_id__in=chunk, step=EVENT_STEP,
                                             claimed_at__isnull=True, skipped_at__isnull=True)
                     .values_list("pk", flat=True))
        told += len(claim_and_enqueue(fresh, now))
    return told

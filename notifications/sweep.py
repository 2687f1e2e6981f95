"""The reminder sweep, run by Celery beat (`notifications.sweep_reminders`) or `run_reminders`.

1. For every deadline source, derive the open deadlines whose steps may be due, and insert a
   Reminder row for the latest due step per (kind, object, recipient) not yet recorded; steps
   between the last recorded one and it are inserted as skipped (catch-up without flooding).
   A series first seen after several of its steps fell due starts at the latest one.
2. Claim due rows with SELECT … FOR UPDATE SKIP LOCKED and a conditional UPDATE (claimed_at IS
   NULL), create their Delivery rows, and enqueue delivery tasks on commit.
3. Re-enqueue rows claimed longer than the lease ago and still not sent (a lost worker or message).
   A worker coming up re-enqueues at once the rows a dead worker had started (`reminders_requeue_orphans`,
   called from notifications.workers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.memory import cyclic_gc_paused
from common.queries import in_values
from notifications.deadlines import Deadline, sources
from notifications.deadlines.context import SweepContext
from notifications.delivery import deliveries_plan
from notifications.models import Reminder
from notifications.schedules import Schedule, schedules, step_due

CATCHUP_DAYS = 30  # a sweep catches up on deadlines whose last step fell due this long ago
CHUNK = 500
URGENT = 0  # the Redis priority step served before every other (settings: CELERY_TASK_DEFAULT_PRIORITY)


@dataclass
class SweepResult:
    created: int = 0
    claimed: int = 0
    skipped: int = 0
    redispatched: int = 0


def claim_lease() -> dt.timedelta:
    """How long a claimed reminder is left to its worker before the sweep claims it again."""
    return dt.timedelta(seconds=getattr(settings, "NOTIFICATIONS_CLAIM_LEASE_SECONDS", 15 * 60))


def sweep(*, now: dt.datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult(created=reminders_create_due(now=now))
    result.claimed, result.skipped = reminders_claim(now=now)
    result.redispatched = reminders_redispatch_stale(now=now)
    return result


def reminders_create_due(*, now: dt.datetime) -> int:
    ctx, created = SweepContext(now), 0
    schedule_of = schedules()
    for source in sources():
        schedule = schedule_of[source.kind]
        start, end = schedule.window(now, CATCHUP_DAYS)
        with cyclic_gc_paused():  # thousands of deadlines and rows, none in a reference cycle
            deadlines = list(source.collect(ctx, start, end))
            created += _insert_missing(deadlines, schedule, _DueOffsets(schedule, now), now)
    return created


class _DueOffsets(dict):
    """Deadline moment → the schedule's offsets due by now; deadlines share moments (a start hour),
    so each moment's steps are worked out once per sweep."""

    def __init__(self, schedule: Schedule, now: dt.datetime):
        super().__init__()
        self.schedule, self.now = schedule, now

    def __missing__(self, due_at: dt.datetime) -> list[int]:
        due = self[due_at] = [o for o in self.schedule.offsets if step_due(due_at, o) <= self.now]
        return due


def _due_steps(deadline: Deadline, schedule: Schedule, due_offsets: _DueOffsets) -> dict[int, list[int]]:
    """Recipient → offsets due by now (escalation-only recipients get escalation steps only)."""
    due = due_offsets[deadline.due_at]
    steps = {user_id: due for user_id in deadline.recipients}
    escalations = [o for o in due if schedule.is_escalation(o)]
    for user_id in deadline.escalate_to - deadline.recipients:
        if escalations:
            steps[user_id] = escalations
    return {user_id: offsets for user_id, offsets in steps.items() if offsets}


def _recorded(kind: str, keys: list[str]) -> dict[tuple[str, int], int]:
    recorded = {}
    for part in in_values(Reminder.objects.filter(kind=kind), "object_key", keys):
        rows = part.values("object_key", "recipient_id").annotate(last=Max("step")).order_by()
        recorded.update({(r["object_key"], r["recipient_id"]): r["last"] for r in rows})
    return recorded


def _insert_missing(deadlines: list[Deadline], schedule: Schedule, due_offsets: _DueOffsets,
                    now: dt.datetime) -> int:
    """Rows for the steps of `deadlines` (one source's) due by now and not yet recorded."""
    due = [(deadline, steps) for deadline in deadlines if (steps := _due_steps(deadline, schedule, due_offsets))]
    if not due:
        return 0
    recorded = _recorded(due[0][0].kind, [deadline.object_key for deadline, _ in due])
    rows = []
    for deadline, steps in due:
        for user_id, offsets in steps.items():
            last = recorded.get((deadline.object_key, user_id))
            # A series first seen late starts at its latest due step; one that missed sweeps
            # midway records the steps it missed as skipped.
            new = offsets[-1:] if last is None else [o for o in offsets if o > last]
            if not new:
                continue
            rows += [_row(deadline, user_id, o, schedule, skipped=now if o != new[-1] else None) for o in new]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return sum(1 for r in rows if r.skipped_at is None)


def _row(deadline: Deadline, user_id: int, offset: int, schedule: Schedule, skipped) -> Reminder:
    return Reminder(
        kind=deadline.kind, object_key=deadline.object_key, recipient_id=user_id, step=offset,
        escalation=schedule.is_escalation(offset), deadline_at=deadline.due_at,
        due_at=step_due(deadline.due_at, offset), title=deadline.title[:200], action=deadline.action[:200],
        url=deadline.url, skipped_at=skipped)


@transaction.atomic
def reminders_claim(*, now: dt.datetime) -> tuple[int, int]:
    """Claim the latest due row per (kind, object, recipient); mark older unclaimed ones skipped."""
    rows = list(Reminder.objects.select_for_update(skip_locked=True)
                .filter(claimed_at__isnull=True, skipped_at__isnull=True, due_at__lte=now)
                .values_list("pk", "kind", "object_key", "recipient_id", "step"))
    latest: dict[tuple, tuple[int, int]] = {}
    for pk, kind, key, user_id, step in rows:
        group = (kind, key, user_id)
        if group not in latest or step > latest[group][1]:
            latest[group] = (pk, step)
    keep = [pk for pk, _ in latest.values()]
    kept = set(keep)
    older = [row[0] for row in rows if row[0] not in kept]
    skipped = _update_unclaimed(older, skipped_at=now)
    claimed = claim_and_enqueue(keep, now)
    return len(claimed), skipped


def claim_and_enqueue(pks: list[int], now: dt.datetime) -> list[int]:
    """Claim the rows still unclaimed, create their deliveries, enqueue delivery after the commit."""
    claimed = _claimed_ids(pks, now)
    deliveries_plan(reminder_ids=claimed)
    _enqueue(claimed)
    return claimed


def _update_unclaimed(pks: list[int], **values) -> int:
    done = 0
    for i in range(0, len(pks), CHUNK):
        done += Reminder.objects.filter(pk__in=pks[i:i + CHUNK], claimed_at__isnull=True).update(**values)
    return done


def _claimed_ids(pks: list[int], now: dt.datetime) -> list[int]:
    """Conditional claim: only rows still unclaimed are taken."""
    claimed = []
    for i in range(0, len(pks), CHUNK):
        chunk = pks[i:i + CHUNK]
        Reminder.objects.filter(pk__in=chunk, claimed_at__isnull=True).update(claimed_at=now)
        claimed += Reminder.objects.filter(pk__in=chunk, claimed_at=now).values_list("pk", flat=True)
    return claimed


@transaction.atomic
def reminders_redispatch_stale(*, now: dt.datetime) -> int:
    stale = list(Reminder.objects.select_for_update(skip_locked=True)
                 .filter(claimed_at__lt=now - claim_lease(), sent_at__isnull=True).values_list("pk", flat=True))
    return _redispatch(stale, now)


@transaction.atomic
def reminders_requeue_orphans(*, alive: Callable[[str], bool], now: dt.datetime) -> int:
    """Re-enqueue the unsent reminders whose delivery a worker no longer alive had started (`alive(worker)`
    is False), without waiting for the claim lease. A duplicate task is harmless: each channel is
    marked done once, under its row lock."""
    held = (Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimed_at__isnull=False, sent_at__isnull=True).exclude(worker="").values_list("pk", "worker"))
    return _redispatch([pk for pk, worker in held if not alive(worker)], now, priority=URGENT)


def _redispatch(pks: list[int], now: dt.datetime, *, priority: int | None = None) -> int:
    for i in range(0, len(pks), CHUNK):
        Reminder.objects.filter(pk__in=pks[i:i + CHUNK], sent_at__isnull=True).update(claimed_at=now, worker="")
    _enqueue(pks, priority=priority)
    return len(pks)


def _enqueue(reminder_ids: list[int], *, priority: int | None = None) -> None:
    """Delivery tasks for `reminder_ids`, sent once the transaction commits; at the default priority unless
    `priority` is given (URGENT: ahead of whatever the broker holds, see CELERY_TASK_DEFAULT_PRIORITY)."""
    from notifications.tasks import deliver_reminders

    size = getattr(settings, "NOTIFICATIONS_TASK_BATCH", 50)
    options = {} if priority is None else {"priority": priority}  # an explicit None would override the default
    for i in range(0, len(reminder_ids), size):
        batch = reminder_ids[i:i + size]
        transaction.on_commit(lambda batch=batch: deliver_reminders.apply_async((batch,), **options))



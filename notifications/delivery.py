"""Delivery of claimed reminders: one Delivery row per channel, each done at most once.

A channel is delivered inside a transaction that holds the Delivery row's lock and marks it done
with a conditional UPDATE (done_at IS NULL). The in-app notification is written in that same
transaction, so it exists exactly once. Email and SMS leave the process before the commit: a
worker that dies between the send and the commit rolls the mark back and the channel is sent
again on redelivery (at-least-once for external gateways); a redelivered task after the commit
finds the channel done and skips it.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from notifications.channels import DEFAULT_ENABLED, ORDER, SENDERS, can_reach
from notifications.deadlines import ALL_CHANNELS, source_for
from notifications.events import event_kind
from notifications.models import ChannelPreference, Delivery, Reminder

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def channels_for(*, kind: str, escalation: bool, user: User, chosen: dict[tuple[int, str, str], bool]) -> list[str]:
    """The channels a reminder goes out on: the user's choice, or every channel for an escalation."""
    source = source_for(kind) or event_kind(kind)
    allowed = source.channels if source else ALL_CHANNELS
    picked = []
    for channel in allowed:
        on = escalation or chosen.get((user.pk, kind, channel), DEFAULT_ENABLED[channel])
        if (channel == "inapp" or on) and can_reach(channel, user):
            picked.append(channel)
    return picked


def deliveries_plan(*, reminder_ids: list[int]) -> int:
    """Create the pending Delivery rows of freshly claimed reminders."""
    if not reminder_ids:
        return 0
    reminders = list(Reminder.objects.filter(pk__in=reminder_ids).values_list("pk", "kind", "escalation",
                                                                               "recipient_id"))
    user_ids = {r[3] for r in reminders}
    users = User.objects.in_bulk(user_ids)
    chosen = {(p.user_id, p.kind, p.channel): p.enabled
              for p in ChannelPreference.objects.filter(user_id__in=user_ids)}
    rows = [Delivery(reminder_id=pk, channel=channel)
            for pk, kind, escalation, user_id in reminders
            for channel in channels_for(kind=kind, escalation=escalation, user=users[user_id], chosen=chosen)]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


def reminders_take(*, reminder_ids: list[int], worker: str) -> int:
    """Record which worker process is delivering these reminders (see notifications.workers)."""
    return Reminder.objects.filter(pk__in=reminder_ids, sent_at__isnull=True).update(worker=worker)


def reminder_deliver(*, reminder_id: int) -> int:
    """Deliver every channel of one reminder not yet done; return how many were done now."""
    reminder = Reminder.objects.select_related("recipient").filter(pk=reminder_id).first()
    if reminder is None or reminder.sent_at is not None:
        return 0
    pending = reminder.deliveries.filter(done_at__isnull=True, failed_at__isnull=True)
    done = 0
    for delivery in sorted(pending, key=lambda d: ORDER.index(d.channel)):
        done += _deliver_channel(reminder, delivery.pk)
    _finish(reminder)
    return done


def _deliver_channel(reminder: Reminder, delivery_id: int) -> int:
    try:
        with transaction.atomic():
            delivery = (Delivery.objects.select_for_update()
                        .filter(pk=delivery_id, done_at__isnull=True, failed_at__isnull=True).first())
            if delivery is None:
                return 0  # done by another worker meanwhile
            SENDERS[delivery.channel](reminder)
            return Delivery.objects.filter(pk=delivery_id, done_at__isnull=True).update(
                done_at=timezone.now(), attempts=F("attempts") + 1)
    except Exception as exc:  # one failing gateway must not stop the other channels
        logger.exception("delivery %s of reminder %s failed", delivery_id, reminder.pk)
        _record_failure(delivery_id, exc)
        return 0


def _record_failure(delivery_id: int, exc: Exception) -> None:
    Delivery.objects.filter(pk=delivery_id).update(attempts=F("attempts") + 1, last_error=str(exc)[:300])
    Delivery.objects.filter(pk=delivery_id, attempts__gte=MAX_ATTEMPTS, done_at__isnull=True).update(
        failed_at=timezone.now())


def _finish(reminder: Reminder) -> None:
    if not reminder.deliveries.filter(done_at__isnull=True, failed_at__isnull=True).exists():
        Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=timezone.now())

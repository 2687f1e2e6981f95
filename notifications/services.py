"""Writes of the notification centre: mark read, choose channels. Reminders: see sweep and delivery."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.events import notified_kinds
from notifications.models import Channel, ChannelPreference, Notification


def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's own messages read; another user's message is left untouched."""
    return bool(Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True)
                .update(read_at=timezone.now()))


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: User, enabled: set[tuple[str, str]]) -> int:
    """Store the user's channel choice per kind. In-app cannot be switched off, and escalations
    go out on every channel whatever is chosen here (see delivery.channels_for)."""
    saved = 0
    for kind_channel in _switchable():
        kind, channel = kind_channel
        ChannelPreference.objects.update_or_create(
            user=user, kind=kind, channel=channel, defaults={"enabled": kind_channel in enabled})
        saved += 1
    return saved


def _switchable() -> list[tuple[str, str]]:
    return [(kind, c) for kind, _, channels in notified_kinds() for c in channels if c != Channel.INAPP]


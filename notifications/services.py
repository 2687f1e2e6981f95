"""Writes of the notification centre: mark read, choose channels. Reminders: see sweep and delivery."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.deadlines import sources
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
    return [(s.kind, c) for s in sources() for c in s.channels if c != Channel.INAPP]


def notification_send(*, user_ids: set[int], title: str, body: str, url: str = "") -> int:
    """An event notice (not a deadline): an in-app message to each user, and an email after commit.

    Used for facts that happen once, such as a confirmed spot-check violation.
    """
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    Notification.objects.bulk_create(Notification(user=u, title=title, body=body, url=url) for u in users)
    addresses = [u.email for u in users if u.email]
    if addresses:
        transaction.on_commit(lambda: send_mail(title, f"{body}\n{url}".strip(), None, addresses, fail_silently=True))
    return len(users)

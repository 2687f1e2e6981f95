"""Delivery channels: the in-app notification centre, email (Django backends) and SMS (pluggable)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications.models import Channel, Notification, Reminder

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "notifications.channels.LoggingSMSBackend"
# Whether a channel is on when the user has not chosen; in-app is always on.
DEFAULT_ENABLED = {Channel.INAPP: True, Channel.EMAIL: True, Channel.SMS: False}
ORDER = [Channel.INAPP, Channel.EMAIL, Channel.SMS]


class LoggingSMSBackend:
    """Writes the message to the log instead of sending it (the default until a gateway is set)."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_backend():
    return import_string(getattr(settings, "NOTIFICATIONS_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def message_context(reminder: Reminder) -> dict:
    days = -reminder.step
    if days > 0:
        when = f"还有{days}天截止"
    elif days == 0:
        when = "今天截止"
    else:
        when = f"已逾期{-days}天"
    return {"reminder": reminder, "when": when, "deadline": timezone.localtime(reminder.deadline_at),
            "recipient": reminder.recipient, "site_url": getattr(settings, "NOTIFICATIONS_SITE_URL", "")}


def can_reach(channel: str, user) -> bool:
    if channel == Channel.EMAIL:
        return bool(user.email)
    if channel == Channel.SMS:
        return bool(user.phone)
    return True


def send_inapp(reminder: Reminder) -> None:
    ctx = message_context(reminder)
    Notification.objects.create(
        user=reminder.recipient, reminder=reminder, title=f"{reminder.title}（{ctx['when']}）",
        body=render_to_string("notifications/inapp_body.txt", ctx).strip(), url=reminder.url,
        escalation=reminder.escalation)


def send_email(reminder: Reminder) -> None:
    ctx = message_context(reminder)
    subject = " ".join(render_to_string("notifications/email/reminder_subject.txt", ctx).split())
    body = render_to_string("notifications/email/reminder_body.txt", ctx)
    send_mail(subject, body, None, [reminder.recipient.email])


def send_sms(reminder: Reminder) -> None:
    text = render_to_string("notifications/sms.txt", message_context(reminder)).strip()
    sms_backend().send(phone=reminder.recipient.phone, text=text)


SENDERS = {Channel.INAPP: send_inapp, Channel.EMAIL: send_email, Channel.SMS: send_sms}

"""Delivery channels: the in-app notification centre, email (Django backends) and SMS (the provider
of notifications.sms: logging by default, Alibaba Cloud or Tencent Cloud by SMS_PROVIDER)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.events import is_event
from notifications.models import Channel, Notification, Reminder
from notifications.sms import clip, sms_send

logger = logging.getLogger(__name__)

# Whether a channel is on when the user has not chosen; in-app is always on.
DEFAULT_ENABLED = {Channel.INAPP: True, Channel.EMAIL: True, Channel.SMS: False}
ORDER = [Channel.INAPP, Channel.EMAIL, Channel.SMS]


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
    if is_event(reminder):
        Notification.objects.create(user=reminder.recipient, reminder=reminder, title=reminder.title,
                                    body=reminder.action, url=reminder.url)
        return
    ctx = message_context(reminder)
    Notification.objects.create(
        user=reminder.recipient, reminder=reminder, title=f"{reminder.title}（{ctx['when']}）",
        body=render_to_string("notifications/inapp_body.txt", ctx).strip(), url=reminder.url,
        escalation=reminder.escalation)


def send_email(reminder: Reminder) -> None:
    ctx = message_context(reminder)
    name = "event" if is_event(reminder) else "reminder"
    subject = " ".join(render_to_string(f"notifications/email/{name}_subject.txt", ctx).split())
    body = render_to_string(f"notifications/email/{name}_body.txt", ctx)
    send_mail(subject, body, None, [reminder.recipient.email])


def send_sms(reminder: Reminder) -> None:
    """Through the SMS provider (notifications.sms): a registered template and its parameters, not
    free text. A refusal raises SmsError: the delivery is retried like any failed channel."""
    if is_event(reminder):
        sms_send(phone=reminder.recipient.phone, template="decision_notice", params={"item": clip(reminder.title)})
        return
    when = message_context(reminder)["when"] + ("（升级提醒）" if reminder.escalation else "")
    sms_send(phone=reminder.recipient.phone, template="deadline_reminder",
             params={"item": clip(reminder.title), "when": when})


SENDERS = {Channel.INAPP: send_inapp, Channel.EMAIL: send_email, Channel.SMS: send_sms}

import pytest
from django.core import mail

from notifications import delivery
from notifications.models import ChannelPreference, Delivery, Notification, Reminder
from notifications.sms import SmsError
from notifications.sweep import sweep
from tests.notifications.conftest import at


class FailingSMS:
    def send(self, *, phone, signature, template_code, params):
        raise SmsError("短信网关无响应")


class RecordingSMS:
    """A provider that records (phone, template code, parameters) and answers a message id."""

    sent: list = []

    def send(self, *, phone, signature, template_code, params):
        RecordingSMS.sent.append((phone, template_code, params))
        return f"rec-{len(RecordingSMS.sent)}"


def test_a_redelivered_task_skips_channels_already_done(draft_plan, owner, sweep_at):
    sweep_at(at(3, 10))
    reminder = Reminder.objects.get(recipient=owner)
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)  # as if the worker died after the channels
    assert delivery.reminder_deliver(reminder_id=reminder.pk) == 0
    assert Notification.objects.filter(user=owner).count() == 1 and len(mail.outbox) == 1


def test_a_failing_gateway_leaves_other_channels_done_and_is_retried(submitted, reviewer, settings, sweep_at):
    settings.SMS_PROVIDER = "tests.notifications.test_delivery.FailingSMS"
    sweep_at(at(3, 30))
    sms = Delivery.objects.get(reminder__recipient=reviewer, channel="sms")
    assert sms.done_at is None and sms.attempts == 1 and "短信网关" in sms.last_error
    assert Delivery.objects.filter(reminder__recipient=reviewer, channel="inapp", done_at__isnull=False).exists()
    settings.SMS_PROVIDER = "tests.notifications.test_delivery.RecordingSMS"
    RecordingSMS.sent = []
    result = sweep_at(at(3, 30, hour=10))  # past the claim lease
    assert result.redispatched == 1 and len(RecordingSMS.sent) == 1
    ((phone, template_code, params),) = RecordingSMS.sent
    assert phone == reviewer.phone and template_code == "deadline_reminder"
    assert params["when"] == "还有1天截止（升级提醒）" and len(params["item"]) <= 35
    assert Reminder.objects.get(recipient=reviewer, step=-1).sent_at is not None
    assert Notification.objects.filter(user=reviewer).count() == 1


def test_the_user_may_switch_email_off_but_not_escalations(submitted, reviewer, sweep_at):
    ChannelPreference.objects.create(user=reviewer, kind="plan_review", channel="email", enabled=False)
    sweep_at(at(3, 24))
    assert list(Delivery.objects.filter(reminder__step=-7).values_list("channel", flat=True)) == ["inapp"]
    sweep_at(at(3, 30))
    assert set(Delivery.objects.filter(reminder__step=-1).values_list("channel", flat=True)) == {
        "inapp", "email", "sms"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sweep_claims_each_row_once(draft_plan, owner):
    first = sweep(now=at(3, 10))
    second = sweep(now=at(3, 10))
    assert (first.claimed, second.claimed) == (1, 0)
    assert Notification.objects.filter(user=owner).count() == 1

"""Decisions announced through the reminder/delivery rows: exactly one delivery per enabled channel,
per-user channel choices, idempotent per event, delivered once even after a worker crash."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction

from filings import services as filings
from filings.models import PlanTransition
from ledger.models import Person
from notifications import events
from notifications.models import ChannelPreference, Delivery, Notification, Reminder
from reviews import certification
from tests.factories import UserFactory
from tests.ledger.support import accepted_plan, id_number, reported_plan
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def deliveries(user, kind):
    return sorted(Delivery.objects.filter(reminder__recipient=user, reminder__kind=kind)
                  .values_list("channel", flat=True))


def delivered(user, kind):
    return sorted(Delivery.objects.filter(reminder__recipient=user, reminder__kind=kind, done_at__isnull=False)
                  .values_list("channel", flat=True))


@pytest.mark.parametrize("decision,headline", [("approve", "已同意备案"), ("return", "退回修改"),
                                               ("reject", "不予备案")])
def test_each_plan_decision_reaches_the_organiser_once_per_enabled_channel(
        submitted, owner, reviewer, decision, headline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filings.plan_decide(plan=submitted, actor=reviewer, decision=decision, reason="课时安排", now=NOW)
    # email is on by default, SMS off by default; the reviewer who decided is not told
    assert delivered(owner, "plan_decision") == ["email", "inapp"]
    assert deliveries(reviewer, "plan_decision") == []
    (note,) = Notification.objects.filter(user=owner, reminder__kind="plan_decision")
    assert headline in note.title and submitted.filing_no in note.title and note.url.endswith(f"/{submitted.pk}/")
    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert headline in message.subject and submitted.filing_no in message.body
    assert message.body.count("://") == 1 and f"/plans/{submitted.pk}/" in message.body  # SITE_URL + path


def test_the_mail_link_is_absolute_from_site_url(submitted, owner, reviewer, settings,
                                                 django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SITE_URL = "https://jxjy.example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=NOW)
    (message,) = [m for m in mail.outbox if owner.email in m.to]
    assert f"https://jxjy.example.cn/plans/{submitted.pk}/" in message.body


def test_the_users_channel_choice_for_decisions_is_followed(submitted, owner, reviewer, settings,
                                                            django_capture_on_commit_callbacks):
    ChannelPreference.objects.create(user=owner, kind="plan_decision", channel="email", enabled=False)
    ChannelPreference.objects.create(user=owner, kind="plan_decision", channel="sms", enabled=True)
    settings.SMS_PROVIDER = "tests.notifications.test_delivery.RecordingSMS"
    from tests.notifications.test_delivery import RecordingSMS
    RecordingSMS.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=NOW)
    assert delivered(owner, "plan_decision") == ["inapp", "sms"]
    assert [(phone, code) for phone, code, _ in RecordingSMS.sent] == [(owner.phone, "decision_notice")]
    assert RecordingSMS.sent[0][2] == {"item": f"培训计划已同意备案：{submitted.filing_no}"}
    assert not [m for m in mail.outbox if owner.email in m.to]


def test_a_rolled_back_decision_announces_nothing(submitted, reviewer):
    with pytest.raises(RuntimeError), transaction.atomic():
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=NOW)
        raise RuntimeError("crash before commit")
    assert not Reminder.objects.filter(kind="plan_decision").exists()


def test_announcing_the_same_event_twice_tells_each_recipient_once(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = events.event_notify(kind="plan_decision", object_key="plan-transition:1", recipients=[owner.pk],
                                    title="标题", body="内容")
        second = events.event_notify(kind="plan_decision", object_key="plan-transition:1", recipients=[owner.pk],
                                     title="标题", body="内容")
    assert (first, second) == (1, 0)
    assert Notification.objects.filter(user=owner).count() == 1
    with pytest.raises(ValueError, match="未登记"):
        events.event_notify(kind="nonsense", object_key="x", recipients=[owner.pk], title="t", body="b")


def test_a_worker_that_crashed_before_delivering_is_covered_by_the_sweep_once(submitted, owner, reviewer, sweep_at):
    # The decision commits, but the delivery task never runs (the worker died with the message).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notifications.tasks.deliver_reminders.delay", lambda ids: None)
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=NOW)
    reminder = Reminder.objects.get(kind="plan_decision", recipient=owner)
    assert reminder.claimed_at is not None and reminder.sent_at is None
    assert delivered(owner, "plan_decision") == []
    later = reminder.claimed_at + dt.timedelta(hours=1)  # past the claim lease
    assert sweep_at(later).redispatched >= 1
    assert sweep_at(later + dt.timedelta(hours=1)).redispatched == 0
    assert delivered(owner, "plan_decision") == ["email", "inapp"]
    assert Notification.objects.filter(user=owner, reminder__kind="plan_decision").count() == 1
    assert len([m for m in mail.outbox if owner.email in m.to and "同意备案" in m.subject]) == 1


def test_a_worker_that_crashed_mid_delivery_sends_each_channel_once(submitted, owner, reviewer, sweep_at,
                                                                    django_capture_on_commit_callbacks):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notifications.tasks.deliver_reminders.delay", lambda ids: None)
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=NOW)
    reminder = Reminder.objects.get(kind="plan_decision", recipient=owner)
    from notifications.delivery import reminder_deliver
    reminder_deliver(reminder_id=reminder.pk)  # delivered all channels …
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=None)  # … but died before marking the reminder sent
    sweep_at(reminder.claimed_at + dt.timedelta(hours=1))
    assert Notification.objects.filter(user=owner, reminder__kind="plan_decision").count() == 1
    assert len([m for m in mail.outbox if owner.email in m.to and "同意备案" in m.subject]) == 1
    assert Reminder.objects.get(pk=reminder.pk).sent_at is not None


def test_report_decisions_reach_the_organiser(owner, reviewer, django_capture_on_commit_callbacks):
    returned = reported_plan(owner, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        certification.report_return(plan=returned, actor=reviewer, reason="签到表不清晰")
    (note,) = Notification.objects.filter(user=owner, reminder__kind="report_decision")
    assert "退回修改" in note.title and "签到表不清晰" in note.body
    assert delivered(owner, "report_decision") == ["email", "inapp"]


def test_certification_tells_the_organiser_and_each_trainee_with_an_account_to_print_the_card(
        owner, reviewer, django_capture_on_commit_callbacks):
    plan = accepted_plan(owner, reviewer, trainees=3)
    trainee_user = UserFactory(username="trainee1", role="professional", organisation=None, email="t1@example.cn")
    Person.objects.create(id_number=id_number(1, male=True), name="学员1", sex="M", birth_date=dt.date(1980, 1, 1),
                          user=trainee_user)
    inactive = UserFactory(username="trainee2", role="professional", organisation=None, is_active=False)
    Person.objects.create(id_number=id_number(2, male=False), name="学员2", sex="F", birth_date=dt.date(1980, 1, 1),
                          user=inactive)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        certification.certify_hours(plan=plan, actor=reviewer)
    assert delivered(owner, "hours_certified") == ["email", "inapp"]
    assert delivered(trainee_user, "card_ready") == ["email", "inapp"]
    (note,) = Notification.objects.filter(user=trainee_user)
    assert "审验卡" in note.body and plan.filing_no in note.body and note.url == "/rules/my/"
    assert not Reminder.objects.filter(recipient=inactive).exists()
    assert Reminder.objects.filter(kind="card_ready").count() == 1
    log = PlanTransition.objects.get(plan=plan, to_state="certified")
    assert Reminder.objects.get(kind="card_ready").object_key == f"plan-transition:{log.pk}"


def test_a_confirmed_violation_goes_through_the_same_pipeline(owner, reviewer, submitted,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.event_notify(kind="violation_confirmed", object_key="inspection:9", recipients=[owner.pk, reviewer.pk],
                            title="抽查发现违规", body="学时已撤销")
    assert delivered(owner, "violation_confirmed") == ["email", "inapp"]
    assert delivered(reviewer, "violation_confirmed") == ["email", "inapp"]


def test_the_preferences_page_offers_the_decision_kinds(client, owner):
    client.force_login(owner)
    body = client.get("/notifications/preferences/").content.decode()
    assert "培训计划审核结果" in body and "plan_decision:email" in body and "card_ready:sms" in body
    client.post("/notifications/preferences/", {"on": ["plan_decision:sms"]})
    assert ChannelPreference.objects.get(user=owner, kind="plan_decision", channel="sms").enabled
    assert not ChannelPreference.objects.get(user=owner, kind="plan_decision", channel="email").enabled


def test_reconcile_covers_announcements(submitted, owner, reviewer, sweep_at):
    from workflows.reconcile import check_reminders

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("notifications.tasks.deliver_reminders.delay", lambda ids: None)
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=NOW)
    reminder = Reminder.objects.get(kind="plan_decision", recipient=owner)
    much_later = reminder.claimed_at + dt.timedelta(hours=2)
    assert any(f"reminder {reminder.pk} (plan_decision" in e for e in check_reminders(now=much_later).examples)
    sweep_at(much_later)
    assert check_reminders(now=much_later).ok

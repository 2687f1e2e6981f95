"""A worker coming up gives back the reminders a dead worker had started delivering."""

import uuid

import pytest
import time_machine
from django.conf import settings

from notifications.delivery import reminders_take
from notifications.models import Notification, Reminder
from notifications.sweep import URGENT, reminders_requeue_orphans, sweep
from notifications.workers import incarnation
from tests.notifications.conftest import at


def _claimed(moment) -> list[Reminder]:
    """Sweep without running the on-commit delivery tasks: the rows stay claimed and unsent."""
    with time_machine.travel(moment, tick=False):
        sweep(now=moment)
    return list(Reminder.objects.filter(claimed_at__isnull=False, sent_at__isnull=True))


def test_it_requeues_what_a_dead_worker_held_and_delivers_it_once(submitted, reviewer, django_capture_on_commit_callbacks):
    (reminder,) = [r for r in _claimed(at(3, 30)) if r.recipient_id == reviewer.pk]
    reminders_take(reminder_ids=[reminder.pk], worker="celery@old#41")
    with django_capture_on_commit_callbacks(execute=True):
        count = reminders_requeue_orphans(alive={"celery@new#42"}.__contains__, now=at(3, 30, hour=9))
    reminder.refresh_from_db()
    assert count == 1 and reminder.sent_at is not None
    assert Notification.objects.filter(user=reviewer).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_requeue_orphans(alive=lambda worker: False, now=at(3, 30, hour=9)) == 0  # sent: not again


def test_it_leaves_what_a_live_worker_holds_and_what_no_worker_started(submitted, reviewer):
    claimed = _claimed(at(3, 30))
    reminders_take(reminder_ids=[claimed[0].pk], worker="celery@busy#7")
    assert reminders_requeue_orphans(alive={"celery@busy#7"}.__contains__, now=at(3, 30)) == 0
    assert Reminder.objects.get(pk=claimed[0].pk).worker == "celery@busy#7"


def test_an_incarnation_names_the_node_and_the_process(monkeypatch):
    monkeypatch.setattr("notifications.workers.MAIN_PID", 4242)
    assert incarnation("celery@host") == "celery@host#4242"


def test_what_a_dead_worker_held_is_sent_urgent_and_new_deliveries_are_not(submitted, reviewer, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    from notifications.tasks import deliver_reminders

    sent = []
    monkeypatch.setattr(deliver_reminders, "apply_async", lambda args, **options: sent.append((args, options)))
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=at(3, 30))
    assert sent and all(options == {} for _args, options in sent)  # the default priority
    (reminder,) = [r for r in Reminder.objects.filter(sent_at__isnull=True) if r.recipient_id == reviewer.pk]
    reminders_take(reminder_ids=[reminder.pk], worker="celery@old#41")
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_requeue_orphans(alive=lambda worker: False, now=at(3, 30, hour=9))
    assert sent == [(([reminder.pk],), {"priority": URGENT})]


@pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis"), reason="priorities are Redis's")
def test_on_redis_an_urgent_task_is_taken_before_a_backlog_at_the_default_priority():
    from config.celery import app
    from notifications.tasks import deliver_reminders

    queue, eager = f"priority-check-{uuid.uuid4().hex[:8]}", app.conf.task_always_eager
    app.conf.task_always_eager = False
    with app.connection_for_read() as connection:
        inbox = connection.SimpleQueue(queue)
        try:
            for n in range(3):
                deliver_reminders.apply_async(([n],), queue=queue)
            deliver_reminders.apply_async(([99],), queue=queue, priority=URGENT)
            taken = []
            for _ in range(4):
                message = inbox.get(timeout=5)
                taken.append(message.headers["argsrepr"])
                message.ack()
        finally:
            app.conf.task_always_eager = eager
            inbox.queue.delete()
            inbox.close()
    assert taken == ["([99],)", "([0],)", "([1],)", "([2],)"]

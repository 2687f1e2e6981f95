"""End to end through a real Celery worker on Redis, sharing the test database (PostgreSQL)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from notifications.models import Delivery, Notification, Reminder
from notifications.sweep import sweep
from tests.notifications.conftest import at

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WAIT_SECONDS = 30


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {WAIT_SECONDS} s for {what}")


@pytest.fixture
def files(tmp_path):
    paths = {name: tmp_path / name for name in ("started", "hold", "sms.log", "worker.log")}
    for name in ("started", "sms.log"):
        paths[name].touch()
    return paths


@pytest.fixture
def worker(files):
    """Start workers on demand; each is killed (its whole process group) at the end."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
           "DATABASE_URL": _database_url(), "NOTIF_SMS_STARTED": str(files["started"]),
           "NOTIF_SMS_HOLD": str(files["hold"]), "NOTIF_SMS_LOG": str(files["sms.log"])}
    started: list[subprocess.Popen] = []
    celery_app.control.purge()
    celery_app.conf.task_always_eager = False

    def start() -> subprocess.Popen:
        log = open(files["worker.log"], "a")  # noqa: SIM115  (closed with the process)
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(proc)
        return proc

    yield start
    celery_app.conf.task_always_eager = True
    for proc in started:
        kill(proc)


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=WAIT_SECONDS)


def _sent(reviewer) -> bool:
    return Reminder.objects.filter(recipient=reviewer, step=-1, sent_at__isnull=False).exists()


def test_a_worker_delivers_a_reminder_end_to_end(submitted, reviewer, worker, files):
    worker()
    sweep(now=at(3, 30))  # the day before the start: an escalation on every channel
    _wait_for(lambda: _sent(reviewer), "the reminder to be sent")
    assert Notification.objects.filter(user=reviewer).count() == 1
    assert len(Path(files["sms.log"]).read_text().splitlines()) == 1
    assert set(Delivery.objects.filter(done_at__isnull=False).values_list("channel", flat=True)) == {
        "inapp", "email", "sms"}


def test_a_worker_killed_mid_delivery_delivers_exactly_once_as_soon_as_it_is_restarted(submitted, reviewer, worker, files):
    Path(files["hold"]).touch()
    first = worker()
    sweep(now=at(3, 30))
    _wait_for(lambda: Path(files["started"]).read_text().strip(), "the SMS send to begin")
    kill(first)  # SIGKILL in the middle of the SMS delivery
    done = dict(Delivery.objects.values_list("channel", "done_at"))
    assert done["inapp"] is not None and done["sms"] is None
    assert Reminder.objects.get(recipient=reviewer, step=-1).worker.endswith(f"#{first.pid}")
    Path(files["hold"]).unlink()
    worker()  # no sweep: the restarted worker gives back what the killed one held
    _wait_for(lambda: _sent(reviewer), "the reminder to be sent after the restart")
    assert Notification.objects.filter(user=reviewer).count() == 1
    assert len(Path(files["sms.log"]).read_text().splitlines()) == 1
    assert Delivery.objects.filter(done_at__isnull=False).count() == 3

"""Notifications tests: plans reached through filings services, time moved with time_machine.

Owner (organiser of the Chifeng base) and reviewer (Chifeng bureau) have an email address and
a phone number, so every channel can reach them.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from filings import services as filings
from notifications.events import event_kinds
from notifications.models import Notification, Reminder
from notifications.sweep import sweep
from tests.filings.conftest import TEACHERS, plan_data

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=CST)


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def _contacts(owner, reviewer):
    for user, email, phone in ((owner, "owner@example.cn", "13900000001"),
                               (reviewer, "reviewer@example.cn", "13900000002")):
        user.email, user.phone = email, phone
        user.save(update_fields=["email", "phone"])


@pytest.fixture
def draft_plan(owner, chifeng_bureau):
    """Starts 31 March 09:00, so its last filing moment is 17 March 09:00."""
    with time_machine.travel(NOW, tick=False):
        return filings.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)


@pytest.fixture
def submitted(draft_plan, owner):
    with time_machine.travel(NOW, tick=False):
        return filings.plan_submit(plan=draft_plan, actor=owner, now=NOW)


@pytest.fixture
def sweep_at(django_capture_on_commit_callbacks):
    """Run one sweep as of a moment, executing the on-commit delivery tasks (eager in tests)."""

    def run(moment):
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep(now=moment)

    return run


def _event_kinds() -> list[str]:
    return [kind.kind for kind in event_kinds()]


def told(user) -> list[str]:
    """The user's deadline reminders (decision announcements are tested in test_events)."""
    return list(Notification.objects.filter(user=user).exclude(reminder__kind__in=_event_kinds())
                .order_by("pk").values_list("title", flat=True))


def mails_to(address: str) -> list[str]:
    """Subjects of the deadline reminder mails to the address (announcements left out)."""
    events = {f"【继续教育】{t}" for t in Reminder.objects.filter(kind__in=_event_kinds()).values_list("title", flat=True)}
    return [m.subject for m in mail.outbox if address in m.to and m.subject not in events]

"""Benchmark: the reminder sweep over 100,000 open deadlines in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_dev .venv/bin/python bench/reminders.py

Creates a scratch database (test_<name>), 100,000 draft plans (open filing deadlines), then times:
a sweep with nothing due (goal < 1 s), a sweep with 10,000 due (goal < 15 s; rows inserted,
claimed, deliveries planned, tasks published to an in-memory broker), and a repeat sweep
(steady state: nothing new; goal < 0.5 s), each with PASS or MISS. The scratch database is dropped at the end.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["CELERY_BROKER_URL"] = "memory://"
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1/jxjy_dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

N, DUE = 100_000, 10_000
CST = dt.timezone(dt.timedelta(hours=8))
BASE = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)


def timed(label: str, func):
    """Wall time against the goal; the process's CPU time beside it (on a shared machine the wall time
    also holds the time spent waiting for a core)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<52}{elapsed:>8.2f} s (CPU {cpu:.2f} s, load {os.getloadavg()[0]:.1f})   {result}")
    return elapsed


def verdict(elapsed: float, goal: float) -> str:
    return f"{'':<52}goal < {goal:g} s: {'PASS' if elapsed < goal else 'MISS'}"


def organisations(count: int):
    from accounts.models import Role, User
    from jurisdiction.models import Division, Organisation

    league = Division.objects.get(code="150400")
    authority = Organisation.objects.create(name="赤峰市人社局", kind="hrss", division=league)
    orgs = []
    for i in range(count):
        org = Organisation.objects.create(name=f"基地{i}", kind="base_league", division=league)
        User.objects.create(username=f"org{i}", role=Role.ORGANISER, organisation=org, email=f"o{i}@example.cn")
        orgs.append(org)
    return authority, orgs, User.objects.filter(role=Role.ORGANISER).first()


def plans(authority, orgs, creator) -> None:
    from filings.models import TrainingPlan

    rows = []
    for i in range(N):
        # The first DUE plans' filing deadline is BASE + 1 h; the rest lie 60–400 days ahead.
        start = BASE + dt.timedelta(days=14, hours=1) if i < DUE else BASE + dt.timedelta(days=60 + i % 340)
        rows.append(TrainingPlan(
            filing_no=f"备-2026-1504-{i:06d}", organiser=orgs[i % len(orgs)], authority=authority, title=f"培训{i}",
            subject="professional", mode="online", starts_at=start, ends_at=start + dt.timedelta(days=1),
            place="网络", content="专题", trainee_scope="专业技术人员", planned_headcount=50, hours=8,
            contact_person="王", contact_phone="0476", credit_year=2026, created_by=creator))
    TrainingPlan.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery import app

    app.conf.task_always_eager = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from notifications.models import Delivery, Reminder
    from notifications.sweep import sweep

    authority, orgs, creator = organisations(200)
    timed(f"setup: {N:,} draft plans (open filing deadlines)", lambda: plans(authority, orgs, creator) or N)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(verdict(timed("sweep with nothing due (goal < 1 s)", lambda: sweep(now=BASE - dt.timedelta(days=30))), 1))
    print(verdict(timed(f"sweep with {DUE:,} due (goal < 15 s)", lambda: sweep(now=BASE)), 15))
    print(f"{'':<52}rows: {Reminder.objects.count():,} reminders "
          f"({Reminder.objects.filter(skipped_at__isnull=True).count():,} to send), "
          f"{Delivery.objects.count():,} deliveries")
    print(verdict(timed("repeat sweep, same moment (nothing new)", lambda: sweep(now=BASE + dt.timedelta(minutes=5))),
                  0.5))


if __name__ == "__main__":
    main()

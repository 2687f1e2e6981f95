"""Benchmark: the statistics pages and their refresh on the load database.

    createdb -h 127.0.0.1 -U postgres jxjy_stats_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/jxjy_stats_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale   # 100,000 plans, 1,000,000 entries
    .venv/bin/python bench/statistics.py [--requests 40] [--no-refresh]

Runs on the database named by DATABASE_URL (not a scratch copy): times `statistics_refresh` (the
beat task's work: every figure counted from the source tables, written as a new generation and
swapped in), then requests the statistics page through Django's test client as a region inspector
and as a league reviewer (signed in with force_login), with a year and period chosen, and prints
p50/p95 of the page and pass/miss against the goals (page p95 < 300 ms for both).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DEBUG", "0")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to the seeded load database, e.g. postgres://postgres@127.0.0.1/jxjy_stats_bench")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PAGE_GOAL_MS = 300


def bench_user(username: str, role: str, organisation):
    from accounts.models import User

    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "organisation": organisation,
                                                                      "display_name": "统计压测"})
    return user


def timed_pages(client: Client, params: dict, n: int) -> list[float]:
    url = reverse("insights:overview")
    response = client.get(url, params)  # warm-up (sessions, template loading)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def report(label: str, times: list[float]) -> bool:
    times = sorted(times)  # (the stdlib's `statistics` is shadowed by this file's name when run as a script)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    ok = p95 < PAGE_GOAL_MS
    print(f"{label:<46} n={len(times):<4} p50 {times[len(times) // 2]:7.1f} ms   p95 {p95:7.1f} ms   "
          f"goal < {PAGE_GOAL_MS} ms: {'PASS' if ok else 'MISS'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--no-refresh", action="store_true", help="time the pages on the current generation only")
    args = parser.parse_args()
    setup_test_environment()  # lets the test client accept "testserver" and keep the template context

    from accounts.models import Role
    from filings.models import TrainingPlan
    from insights.selectors import live_generation
    from insights.services import statistics_refresh
    from jurisdiction.models import Division, Organisation
    from ledger.models import HourEntry

    print(f"database: {TrainingPlan.objects.count():,} plans, {HourEntry.objects.count():,} ledger entries")
    if not args.no_refresh:
        start = time.perf_counter()
        generation = statistics_refresh()
        print(f"refresh (statistics_refresh, every figure):      {time.perf_counter() - start:7.1f} s   "
              f"{generation.rows:,} summary rows")
    generation = live_generation()
    if generation is None:
        sys.exit("no statistics computed yet: run without --no-refresh")
    current = timezone.localdate().year
    year = current if current in generation.years else max(generation.years)
    print(f"year shown: {year}")
    region = Organisation.objects.filter(kind="hrss", division__level="region").first()
    league = (Organisation.objects.filter(kind="hrss", division__code="150400").first()
              or Organisation.objects.filter(kind="hrss", division__level="league").first())
    results = []
    for label, user, params in (
        ("region (inspector, whole year)", bench_user("bench_stats_region", Role.INSPECTOR, region),
         {"year": year}),
        ("region (inspector, second quarter)", bench_user("bench_stats_region", Role.INSPECTOR, region),
         {"year": year, "period": "q2"}),
        (f"league {league.division.name} (reviewer, whole year)",
         bench_user("bench_stats_league", Role.REVIEWER, league), {"year": year}),
        (f"county under {league.division.name} (reviewer drills down)",
         bench_user("bench_stats_league", Role.REVIEWER, league),
         {"year": year, "division": Division.objects.filter(parent=league.division).order_by("code").first().code}),
    ):
        client = Client()
        client.force_login(user)
        results.append(report(label, timed_pages(client, params, args.requests)))
    print("all page goals met" if all(results) else "some page goals MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: a real spot-check draw over 100,000 trainings in PostgreSQL, through the service.

    createdb -h 127.0.0.1 -U postgres jxjy_bench_draw
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench_draw .venv/bin/python bench/draw_campaign.py

bench/draw.py times the algorithm on in-memory data; this one times `draws.campaign_draw` as an
inspector runs it: lock the campaign, freeze the population (the scope query with the risk facts of
every training: late filing, late report, roster anomalies, hours, headcount, past violations),
draw (stratified by league, risk-weighted, 30% pure random), store the draw with its frozen population
and the selections, and draw two inspectors per training with recusal.

On first use it migrates, loads 132,000 plans (about 100,000 in the states a spot check covers) with 300,000 roster rows (`seed_scale`), moves every
plan into one training year (so that the whole population is in scope), and adds 300 inspectors
at the league bureaus. Later runs reuse the data; each run is a new campaign.
"""

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1/jxjy_bench_draw")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from filings.models import PlanState, TrainingPlan  # noqa: E402
from jurisdiction.models import Division, Organisation  # noqa: E402
from reviews.models import InspectorAssignment, SpotCheckSelection  # noqa: E402
from reviews.spotchecks import algorithm, draws, freeze, inspectors  # noqa: E402

PLANS = 132_000  # about 100,000 of them in the states a spot check covers
ROSTER_ROWS = 300_000
INSPECTORS = 300
SAMPLE = 300
GOAL = 1.0  # seconds, the whole campaign_draw
YEAR = timezone.localdate().year - 1  # a finished year: every state from approved to certified occurs
STATES = [PlanState.APPROVED, PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORTED,
          PlanState.REPORT_RETURNED, PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED, PlanState.SUBMITTED,
          PlanState.RETURNED, PlanState.DRAFT, PlanState.REJECTED, PlanState.WITHDRAWN, PlanState.CANCELLED]

RISK_FACTS_SQL = """
    UPDATE filings_planriskfacts f SET has_late_exception = (plan_id % 7 = 0), report_late = (plan_id % 11 = 0),
        anomaly_count = CASE WHEN plan_id % 13 = 0 THEN 2 ELSE anomaly_count END,
        max_roster_hours = CASE WHEN plan_id % 17 = 0 THEN p.hours + 1 ELSE max_roster_hours END,
        roster_count = CASE WHEN plan_id % 19 = 0 THEN p.planned_headcount * 2
                            WHEN plan_id % 23 = 0 THEN (p.planned_headcount * 6) / 5 ELSE roster_count END
    FROM filings_trainingplan p WHERE p.id = f.plan_id"""


def prepare() -> None:
    call_command("migrate", verbosity=0)
    if not TrainingPlan.objects.exists():
        print(f"loading {PLANS:,} plans and {ROSTER_ROWS:,} roster rows (seed_scale, once) ...")
        call_command("seed_scale", plans=PLANS, entries=ROSTER_ROWS, persons=50_000)  # keeps PlanRiskFacts too
        with connection.cursor() as cursor:  # every training into one year, keeping its length
            cursor.execute(
                "UPDATE filings_trainingplan SET starts_at = starts_at + s.shift, ends_at = ends_at + s.shift "
                "FROM (SELECT id, make_interval(years => %s - extract(year FROM starts_at "
                "AT TIME ZONE 'Asia/Shanghai')::int) AS shift FROM filings_trainingplan) s "
                "WHERE s.id = filings_trainingplan.id", [YEAR])
            # Facts for every risk rule (seed_scale's rows only carry roster counts and hours): late-filing
            # exceptions, late reports, anomalies, roster hours above the plan's, rosters 1.2× and 2× the plan,
            # and some plans without a facts row at all.
            cursor.execute(RISK_FACTS_SQL)
            cursor.execute("DELETE FROM filings_planriskfacts WHERE plan_id % 29 = 0")
            cursor.execute("ANALYZE filings_trainingplan; ANALYZE filings_planriskfacts")
    if not User.objects.filter(username__startswith="bench_inspector").exists():
        bureaus = list(Organisation.objects.filter(kind=Organisation.Kind.HRSS,
                                                   division__level=Division.Level.LEAGUE))
        User.objects.bulk_create(
            User(username=f"bench_inspector{n:03d}", role=Role.INSPECTOR, organisation=bureaus[n % len(bureaus)])
            for n in range(INSPECTORS))


def lead_inspector() -> User:
    region_bureau = Organisation.objects.filter(kind=Organisation.Kind.HRSS, division__level=Division.Level.REGION)
    lead, _ = User.objects.get_or_create(username="bench_lead", defaults={
        "role": Role.INSPECTOR, "organisation": region_bureau.order_by("pk").first()})
    return lead


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"  {label:<58}{elapsed:>7.2f} s")
    return result, elapsed


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    prepare()
    lead = lead_inspector()
    data = {"name": f"基准抽查 {dt.datetime.now():%H%M%S}", "division": Division.objects.get(code="150000"),
            "year": YEAR, "plan_states": [s.value for s in STATES[:7]], "sample_size": SAMPLE,
            "strata_by": "league", "random_share": Decimal("0.300"), "risk_weighting": True,
            "inspectors_per_training": 2, "inspector_load_limit": 5}
    campaign, seed = draws.campaign_create(actor=lead, data=data)
    in_scope = freeze.population_items(campaign, now=timezone.now())[0]
    print(f"population: {len(in_scope):,} trainings of {YEAR} in scope; sample {SAMPLE}, strata by league, "
          f"risk-weighted, 30% pure random, 2 inspectors each from {INSPECTORS}")

    print("phases (each on its own, read-only except the last two):")
    def frozen():
        with transaction.atomic():  # as in campaign_draw
            return freeze.population_items(campaign, now=timezone.now())[0]

    items, t_freeze = timed("freeze: scope query with risk facts, risk points", frozen)
    _, t_draw = timed("draw: canonical order, SHA-256, strata, weighting",
                      lambda: algorithm.run(items, seed=seed, params=freeze.parameters_of(campaign)))

    def whole():
        with transaction.atomic():
            return draws.campaign_draw(campaign=campaign, actor=lead, seed=seed)

    draw, t_total = timed("campaign_draw (lock, freeze, draw, store, inspectors)", whole)
    selections = SpotCheckSelection.objects.filter(draw=draw).count()
    assignments = InspectorAssignment.objects.filter(selection__draw=draw).count()
    print(f"  selected {selections} trainings, {assignments} inspector assignments, "
          f"{len({s['stratum'] for s in draw.selection})} strata")

    # The inspector draw on its own, for the same selections (rolled back).
    def assign_again():
        with transaction.atomic():
            InspectorAssignment.objects.filter(selection__draw=draw).delete()
            inspectors.inspectors_assign(draw=draw, selections=list(SpotCheckSelection.objects.filter(draw=draw)))
            transaction.set_rollback(True)

    _, t_inspectors = timed("of which inspectors with recusal (re-run, rolled back)", assign_again)
    print(f"freeze + draw + store, without the inspectors: {t_total - t_inspectors:.2f} s; "
          f"with them: {t_total:.2f} s")
    print(f"whole campaign_draw {t_total:.2f} s, goal < {GOAL} s: {'PASS' if t_total < GOAL else 'MISS'}")


if __name__ == "__main__":
    main()

"""The risk points of a training's own facts, computed by the database in the freeze's one query, equal the
rules as written (reviews.spotchecks.risk): checked rule by rule at the boundaries, on SQLite and PostgreSQL."""

import datetime as dt
import itertools
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from filings.models import PlanRiskFacts, TrainingPlan
from reviews.models import default_risk_rules
from reviews.spotchecks.risk import past_points, population_rows
from tests.reviews.test_spotcheck_draw import file_plans

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RULES = {"late_exception": 1, "late_report": 4, "roster_anomaly": 16, "hours_beyond_days": 64,
         "max_hours_per_day": 8, "headcount_excess": 256, "headcount_excess_ratio": "1.2", "past_violation": 3}


def expected(plan: TrainingPlan, facts: PlanRiskFacts | None, rules: dict) -> int:
    """The rules as the module's docstring states them, in plain Python."""
    local_first = plan.starts_at.astimezone(SHANGHAI).date()
    local_last = (plan.ends_at - dt.timedelta(microseconds=1)).astimezone(SHANGHAI).date()
    days = (local_last - local_first).days + 1
    facts = facts or PlanRiskFacts()
    risk = 0
    risk += rules["late_exception"] if facts.has_late_exception else 0
    risk += rules["late_report"] if facts.report_late else 0
    risk += rules["roster_anomaly"] if facts.anomaly_count > 0 else 0
    if plan.hours > days * rules["max_hours_per_day"] or facts.max_roster_hours > plan.hours:
        risk += rules["hours_beyond_days"]
    if facts.roster_count > plan.planned_headcount * Decimal(str(rules["headcount_excess_ratio"])):
        risk += rules["headcount_excess"]
    return risk


def points_of(plan, rules) -> int:
    return {pk: points for pk, _no, _org, points in population_rows(TrainingPlan.objects.all(), rules)}[plan.pk]


@pytest.fixture
def plan(owner, reviewer):
    return file_plans(owner, reviewer, 1)[0]


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 4, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("starts", "ends", "hours", "points"), [
    (local(1, 9), local(1, 17), 8, 0),       # one day holds 8 hours
    (local(1, 9), local(1, 17), 9, 64),      # but not 9
    (local(1, 9), local(3, 0), 16, 0),       # ending at midnight does not take the 3rd: two days
    (local(1, 9), local(3, 0), 17, 64),
    (local(1, 9), local(3, 0, 1), 17, 0),    # a minute past midnight does: three days
    (local(1, 23, 30), local(2, 0, 30), 16, 0),  # across midnight in Shanghai (the same UTC day): two days
    (local(1, 7), local(1, 9), 9, 64),       # 07:00 Shanghai is the previous day in UTC: still one day
])
def test_training_days_are_calendar_days_in_shanghai(plan, starts, ends, hours, points):
    TrainingPlan.objects.filter(pk=plan.pk).update(starts_at=starts, ends_at=ends, hours=hours)
    plan.refresh_from_db()
    assert points_of(plan, RULES) == points == expected(plan, None, RULES)


@pytest.mark.parametrize(("ratio", "planned", "roster", "points"), [
    ("1.2", 100, 120, 0), ("1.2", 100, 121, 256), ("1.2", 10, 12, 0), ("1.2", 10, 13, 256),
    ("0.29", 100, 29, 0), ("0.29", 100, 30, 256),  # 0.29 × 100 is 28.999… in binary floating point
    ("1.1", 10, 11, 0), ("1", 7, 7, 0), ("1", 7, 8, 256), ("1.333", 3, 3, 0), ("1.333", 3, 4, 256), ("1.5", 3, 4, 0), ("1.5", 3, 5, 256),
])
def test_the_headcount_ratio_is_compared_exactly(plan, ratio, planned, roster, points):
    TrainingPlan.objects.filter(pk=plan.pk).update(planned_headcount=planned, hours=1)  # 1 hour: no other rule
    PlanRiskFacts.objects.update_or_create(plan=plan, defaults={"roster_count": roster})
    assert points_of(plan, {**RULES, "headcount_excess_ratio": ratio}) == points


def test_every_combination_of_facts_scores_as_the_rules_say(plan):
    """Each fact alone and together, against the plain-Python reading of the rules, and with the campaign's
    default rules; a plan without a facts row has none."""
    plan.refresh_from_db()
    assert points_of(plan, RULES) == expected(plan, None, RULES)
    combos = itertools.product([False, True], [False, True], [0, 1, 3], [0, plan.hours, plan.hours + 1],
                               [0, plan.planned_headcount * 2])
    for late_exception, report_late, anomalies, max_hours, roster in combos:
        facts, _ = PlanRiskFacts.objects.update_or_create(plan=plan, defaults={
            "has_late_exception": late_exception, "report_late": report_late, "anomaly_count": anomalies,
            "max_roster_hours": max_hours, "roster_count": roster})
        for rules in (RULES, default_risk_rules()):
            assert points_of(plan, rules) == expected(plan, facts, rules), (facts.__dict__, rules)


def test_random_plans_score_as_the_rules_say(owner, reviewer):
    plans = file_plans(owner, reviewer, 8)
    rng = random.Random(20261130)
    for _ in range(12):
        for plan in plans:
            starts = local(rng.randint(1, 20), rng.randint(0, 23), rng.choice([0, 30, 59]))
            ends = starts + dt.timedelta(minutes=rng.randint(1, 6 * 24 * 60))
            TrainingPlan.objects.filter(pk=plan.pk).update(
                starts_at=starts, ends_at=ends, hours=rng.randint(1, 60), planned_headcount=rng.randint(1, 200))
            PlanRiskFacts.objects.update_or_create(plan=plan, defaults={
                "has_late_exception": rng.random() < 0.3, "report_late": rng.random() < 0.3,
                "anomaly_count": rng.choice([0, 0, 2]), "max_roster_hours": rng.randint(0, 60),
                "roster_count": rng.randint(0, 300)})
        rows = {pk: points for pk, _no, _org, points in population_rows(TrainingPlan.objects.all(), RULES)}
        for plan in TrainingPlan.objects.filter(pk__in=[p.pk for p in plans]).select_related("risk_facts"):
            assert rows[plan.pk] == expected(plan, plan.risk_facts, RULES)


def test_past_violations_add_their_points_per_violation():
    assert past_points(RULES, 0) == 0
    assert past_points(RULES, 2) == 6

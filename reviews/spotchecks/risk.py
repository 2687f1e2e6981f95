"""Risk points of a training, from facts the system already holds.

Each rule adds the points named in the campaign's `risk_rules` (data, frozen with the draw):
- late_exception: the plan went through on a late-filing exception (逾期备案特批);
- late_report: the training report came in late (late_days > 0);
- roster_anomaly: some roster row carries an anomaly note;
- hours_beyond_days: the hours per person exceed what the training days could hold
  (days × max_hours_per_day), or a roster row claims more hours than the plan;
- headcount_excess: the roster is longer than planned_headcount × headcount_excess_ratio;
- past_violation: per confirmed violation of the organiser in earlier spot checks.
A sign-in count is not recorded anywhere yet, so sign-in vs roster cannot be compared.

The rules of a training's own facts are one SQL expression (`with_training_points`), so the freeze reads
each training of its population as four plain values; the organiser's past violations are added per
organiser (`past_points`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from filings.models import TrainingPlan

# The stored facts (filings.PlanRiskFacts, kept by the services at the transitions that change them); a plan
# without a row has none of them.
STORED_FACTS = {"has_late_exception": False, "report_late": False, "roster_count": 0, "anomaly_count": 0,
                "max_roster_hours": 0}
POINT_RULES = ("late_exception", "late_report", "roster_anomaly", "hours_beyond_days", "headcount_excess",
               "past_violation")


class DaysSpanned(Func):
    """Calendar days from the first date to the last, both counted (a one-day training spans 1)."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s + 1)"
    arg_joiner = " - "  # PostgreSQL: date - date is a whole number of days

    def as_sqlite(self, compiler, connection, **extra_context):
        (last, last_params), (first, first_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(CAST(julianday({last}) - julianday({first}) AS INTEGER) + 1)", (*last_params, *first_params)


def _fact(name: str):
    return Coalesce(F(f"risk_facts__{name}"), Value(STORED_FACTS[name]))


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def rule_points(rules: dict) -> dict[str, int]:
    return {name: int(rules[name]) for name in POINT_RULES}


def with_training_points(plans: QuerySet[TrainingPlan], rules: dict) -> QuerySet[TrainingPlan]:
    """`plans` annotated with `risk_points`: the points of each training's own facts (every rule but
    past_violation), one SQL expression over the plan and its PlanRiskFacts row (a LEFT JOIN on its primary
    key), exact on both databases: the headcount ratio is compared as integers (roster × denominator >
    planned × numerator), and calendar days are those of the current time zone (Asia/Shanghai), so a
    training ending at midnight does not take the next day."""
    points = rule_points(rules)
    numerator, denominator = Decimal(str(rules["headcount_excess_ratio"])).as_integer_ratio()
    days = DaysSpanned(
        TruncDate(ExpressionWrapper(F("ends_at") - Value(dt.timedelta(microseconds=1)), output_field=DateTimeField())),
        TruncDate("starts_at"))
    facts = {name: _fact(name) for name in STORED_FACTS}
    return plans.alias(**facts, roster_scaled=facts["roster_count"] * Value(denominator)).annotate(risk_points=(
        _points(Q(has_late_exception=True), points["late_exception"])
        + _points(Q(report_late=True), points["late_report"])
        + _points(Q(anomaly_count__gt=0), points["roster_anomaly"])
        + _points(Q(hours__gt=days * Value(int(rules["max_hours_per_day"])))
                  | Q(max_roster_hours__gt=F("hours")), points["hours_beyond_days"])
        + _points(Q(roster_scaled__gt=F("planned_headcount") * Value(numerator)), points["headcount_excess"])
    ))


def population_rows(plans: QuerySet[TrainingPlan], rules: dict) -> list[tuple[int, str, int, int]]:
    """(plan id, filing number, organiser id, training points) of every plan, in one read; straight from the
    cursor, 100,000 of them."""
    rows = with_training_points(plans, rules).values_list("pk", "filing_no", "organiser_id", "risk_points")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Hand the 100,000 rows over from parallel workers at a tenth of the default price, for the rest of this
            # transaction only: the planner then scans and joins in parallel (about 20% faster on two cores).
            cursor.execute("SELECT set_config('parallel_tuple_cost', '0.01', true)")
        cursor.execute(sql, params)
        return cursor.fetchall()


def past_points(rules: dict, violations: int) -> int:
    return violations * rule_points(rules)["past_violation"]

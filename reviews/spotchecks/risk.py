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
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, F, QuerySet, Value
from django.db.models.functions import Coalesce, TruncDate

from filings.models import TrainingPlan

# What the freeze reads of each training: plain values, not model instances (100,000 of them).
POPULATION_FIELDS = ("pk", "filing_no", "organiser_id", "organiser__kind", "organiser__division_id",
                     "organiser__division__path", "hours", "planned_headcount")
FACTS = ("first_day", "last_day", "has_late_exception", "report_late", "roster_count", "anomaly_count",
         "max_roster_hours")
# The stored facts (filings.PlanRiskFacts, kept by the services at the transitions that change them); a plan
# without a row has none of them.
STORED_FACTS = {"has_late_exception": False, "report_late": False, "roster_count": 0, "anomaly_count": 0,
                "max_roster_hours": 0}


def risk_fact_rows(plans: QuerySet[TrainingPlan]) -> QuerySet:
    """One dict per training: POPULATION_FIELDS and the FACTS the risk rules look at, in one indexed read of
    the plans with their PlanRiskFacts row (a LEFT JOIN on its primary key, no aggregate)."""
    return plans.values(
        *POPULATION_FIELDS,
        # Calendar days in the current time zone (Asia/Shanghai), computed by the database: a training
        # ending at midnight does not take the next day.
        first_day=TruncDate("starts_at"),
        last_day=TruncDate(ExpressionWrapper(F("ends_at") - Value(dt.timedelta(microseconds=1)),
                                             output_field=DateTimeField())),
        **{name: Coalesce(F(f"risk_facts__{name}"), Value(default)) for name, default in STORED_FACTS.items()},
    )


def fact_dicts(rows: QuerySet) -> list[dict]:
    """The dicts of `risk_fact_rows`, read on PostgreSQL straight from the cursor: the driver already gives
    dates and booleans, and Django's per-value converters cost more than the query for 100,000 rows."""
    if connection.vendor != "postgresql":
        return list(rows)
    names = [*rows.query.values_select, *rows.query.annotation_select]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def training_days(row: dict) -> int:
    return (row["last_day"] - row["first_day"]).days + 1


def risk_scorer(rules: dict):
    """A function (row from `risk_fact_rows`, the organiser's confirmed violations) -> risk points, with the
    rules read once: the freeze scores 100,000 trainings with the same rules."""
    points = {name: int(rules[name]) for name in
              ("late_exception", "late_report", "roster_anomaly", "hours_beyond_days", "headcount_excess",
               "past_violation")}
    max_per_day = int(rules["max_hours_per_day"])
    excess_ratio = Decimal(str(rules["headcount_excess_ratio"]))

    late_exception, late_report, anomaly = points["late_exception"], points["late_report"], points["roster_anomaly"]
    beyond, excess, past = points["hours_beyond_days"], points["headcount_excess"], points["past_violation"]

    def score(row: dict, violations: int) -> int:
        """Straight-line: called once per training of the population."""
        hours, risk = row["hours"], violations * past
        if row["has_late_exception"]:
            risk += late_exception
        if row["report_late"]:
            risk += late_report
        if row["anomaly_count"] > 0:
            risk += anomaly
        if hours > training_days(row) * max_per_day or (row["max_roster_hours"] or 0) > hours:
            risk += beyond
        if row["roster_count"] > row["planned_headcount"] * excess_ratio:
            risk += excess
        return risk

    return score

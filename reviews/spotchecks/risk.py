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

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from filings.models import LateFilingException, TrainingPlan, TrainingReport


def annotate_risk_facts(plans: QuerySet[TrainingPlan]) -> QuerySet[TrainingPlan]:
    return plans.annotate(
        has_late_exception=Exists(LateFilingException.objects.filter(plan=OuterRef("pk"))),
        report_late=Exists(TrainingReport.objects.filter(plan=OuterRef("pk"), late_days__gt=0)),
        roster_count=Count("roster", distinct=True),
        anomaly_count=Count("roster", filter=~Q(roster__anomaly=""), distinct=True),
        max_roster_hours=Max("roster__hours"),
    )


def training_days(plan: TrainingPlan) -> int:
    start = timezone.localtime(plan.starts_at).date()
    end = timezone.localtime(plan.ends_at - dt.timedelta(microseconds=1)).date()
    return (end - start).days + 1


def _hours_beyond_days(plan, rules: dict) -> bool:
    capacity = training_days(plan) * int(rules["max_hours_per_day"])
    return plan.hours > capacity or (plan.max_roster_hours or 0) > plan.hours


def risk_points(plan, *, rules: dict, violations: int) -> int:
    """`plan` comes from `annotate_risk_facts`; `violations` counts the organiser's confirmed ones."""
    excess_limit = plan.planned_headcount * Decimal(str(rules["headcount_excess_ratio"]))
    facts = {
        "late_exception": plan.has_late_exception,
        "late_report": plan.report_late,
        "roster_anomaly": plan.anomaly_count > 0,
        "hours_beyond_days": _hours_beyond_days(plan, rules),
        "headcount_excess": plan.roster_count > excess_limit,
    }
    points = sum(int(rules[name]) for name, present in facts.items() if present)
    return points + violations * int(rules["past_violation"])

"""Filings and reports, per training start (year and month, Asia/Shanghai) and the organiser's division.

Filings (one plan counts once per outcome it ever reached, from the transition log):
- plans.filed / approved / returned / rejected / withdrawn;
- plans.late: first submission after the last filing moment (start − `plan_lead_days` in force);
- plans.late_exception: plans with a recorded late-filing exception (逾期备案特批);
- plans.subject / plans.mode (key: the choice) of filed plans;
- decision.hours (key: hours from the submission to the decision, whole hours below 48, then whole
  days): a histogram, so that a median can be read at any level of the tree.
Reports (plans that reached 待提交培训报告 or later):
- reports.on_time / late (submitted, `late_days`), reports.overdue (not submitted, past due),
  reports.refused (overdue where the rules in force refuse late reports), reports.pending;
- roster.rows / roster.anomalies (rows with an anomaly note) / roster.plans_with_anomalies.
Per organiser (organiser set): org.filed, org.approved, org.returned, org.rejected, org.withdrawn,
org.report_on_time, org.report_late, org.report_overdue.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from filings.models import (
    LateFilingException,
    PlanState,
    PlanTransition,
    RosterEntry,
    TrainingPlan,
    TrainingReport,
)
from insights.figures import Context, Facts, local_year_month

OUTCOMES = (PlanState.SUBMITTED, PlanState.APPROVED, PlanState.RETURNED, PlanState.REJECTED, PlanState.WITHDRAWN)
OUTCOME_METRIC = {PlanState.SUBMITTED: "filed", PlanState.APPROVED: "approved", PlanState.RETURNED: "returned",
                  PlanState.REJECTED: "rejected", PlanState.WITHDRAWN: "withdrawn"}
DECISIONS = {PlanState.APPROVED, PlanState.RETURNED, PlanState.REJECTED}
REPORTING_STATES = (PlanState.AWAITING_REPORT, PlanState.REPORTED, PlanState.REPORT_RETURNED,
                    PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED)


def decision_bucket(elapsed: dt.timedelta) -> int:
    """Hours as a histogram key: exact below two days, whole days (in hours) after, at most 90 days."""
    hours = max(0, int(elapsed.total_seconds() // 3600))
    return hours if hours < 48 else min(hours // 24, 90) * 24


def _plans():
    rows = TrainingPlan.objects.values_list(
        "pk", "organiser_id", "organiser__division__path", "organiser__division__code", "starts_at", "ends_at",
        "subject", "mode", "state")
    return {row[0]: row[1:] for row in rows.iterator(chunk_size=5000)}


def _transitions():
    """plan pk -> [(to_state, at)] in order, for the states that count."""
    found: dict[int, list] = {}
    qs = (PlanTransition.objects.filter(to_state__in=OUTCOMES).exclude(from_state=PlanState.SUBMITTED,
                                                                        to_state=PlanState.SUBMITTED)
          .order_by("plan_id", "at", "pk").values_list("plan_id", "to_state", "at"))
    for plan_id, to_state, at in qs.iterator(chunk_size=10000):
        found.setdefault(plan_id, []).append((to_state, at))
    return found


def collect_filings(ctx: Context, facts: Facts) -> None:
    plans = _plans()
    ctx.plans.update({pk: (row[1], row[0]) for pk, row in plans.items()})
    exceptions = set(LateFilingException.objects.values_list("plan_id", flat=True))
    for plan_id, chain in _transitions().items():
        org, path, code, starts, _ends, subject, mode, _state = plans[plan_id]
        local_start = timezone.localtime(starts)
        year, month = local_start.year, local_start.month
        reached = {to_state for to_state, _ in chain}
        for state in reached:
            facts.add(path, year, month, f"plans.{OUTCOME_METRIC[state]}")
            facts.add(path, year, month, f"org.{OUTCOME_METRIC[state]}", organiser=org)
        if PlanState.SUBMITTED in reached:
            facts.add(path, year, month, "plans.subject", subject)
            facts.add(path, year, month, "plans.mode", mode)
            first = next(at for to_state, at in chain if to_state == PlanState.SUBMITTED)
            if _late(ctx, code, starts, local_start.date(), first):
                facts.add(path, year, month, "plans.late")
        if plan_id in exceptions:
            facts.add(path, year, month, "plans.late_exception")
        submitted_at = None
        for to_state, at in chain:
            if to_state == PlanState.SUBMITTED:
                submitted_at = at
            elif to_state in DECISIONS and submitted_at is not None:
                facts.add(path, year, month, "decision.hours", str(decision_bucket(at - submitted_at)))
                submitted_at = None


def _late(ctx: Context, code: str, starts: dt.datetime, start_day: dt.date, submitted: dt.datetime) -> bool:
    policy = ctx.policies.policy(ctx.divisions_by_code[code], start_day)
    return policy is not None and submitted > starts - dt.timedelta(days=policy["plan_lead_days"])


def collect_reports(ctx: Context, facts: Facts) -> None:
    reports = {plan_id: (due, submitted, late) for plan_id, due, submitted, late in
               TrainingReport.objects.values_list("plan_id", "due_at", "submitted_at", "late_days").iterator()}
    qs = TrainingPlan.objects.filter(state__in=REPORTING_STATES).values_list(
        "pk", "organiser_id", "organiser__division__path", "organiser__division__code", "starts_at", "ends_at")
    for plan_id, org, path, code, starts, ends in qs.iterator(chunk_size=5000):
        year, month = local_year_month(starts)
        due, submitted, late = reports.get(plan_id, (None, None, 0))
        if submitted is not None:
            metric = "late" if late else "on_time"
            facts.add(path, year, month, f"reports.{metric}")
            facts.add(path, year, month, f"org.report_{metric}", organiser=org)
            continue
        policy = ctx.policies.policy(ctx.divisions_by_code[code], timezone.localtime(ends).date())
        if due is None and policy is not None:
            due = _end_of_day(timezone.localtime(ends).date() + dt.timedelta(days=policy["report_days"]))
        if due is not None and due < ctx.now:
            facts.add(path, year, month, "reports.overdue")
            facts.add(path, year, month, "org.report_overdue", organiser=org)
            if policy is not None and policy.params.get("refuse_late_reports"):
                facts.add(path, year, month, "reports.refused")
        else:
            facts.add(path, year, month, "reports.pending")
    _collect_rosters(facts)


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)) - dt.timedelta(
        microseconds=1)


def _collect_rosters(facts: Facts) -> None:
    qs = (RosterEntry.objects.values("plan_id", "plan__organiser__division__path", "plan__starts_at")
          .annotate(rows=Count("pk"), anomalies=Count("pk", filter=~Q(anomaly=""))).order_by())
    for row in qs.iterator(chunk_size=5000):
        year, month = local_year_month(row["plan__starts_at"])
        path = row["plan__organiser__division__path"]
        facts.add(path, year, month, "roster.rows", value=row["rows"])
        facts.add(path, year, month, "roster.anomalies", value=row["anomalies"])
        if row["anomalies"]:
            facts.add(path, year, month, "roster.plans_with_anomalies")

"""Spot checks (抽查) per campaign year, and overdue deadlines per kind.

Spot checks (month 0: a campaign belongs to a training year):
- spot.campaigns at the campaign's division; spot.drawn (trainings in the current draw),
  spot.inspected (inspection recorded), spot.outcome (key: outcome), spot.violations (key: kind,
  confirmed only) and spot.hours_reversed (hours taken back from the trainees of confirmed
  violations) at the organiser's division.
Deadlines (overdue.kind, key: the deadline kind; by the deadline's year and month): the open
deadlines of the reminder sweep's sources (`notifications.deadlines`) whose moment has passed, one
per deadline and organisation responsible. Kinds whose completion the system does not record as
state are left out: the calendar's annual deadlines and the hour shortfall (compliance shows that).
Reminders (reminders.sent, key: the deadline kind; by the deadline's year and month): reminders sent
to users of an organisation, at that organisation's division (a professional's own are not counted).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from accounts.models import User
from insights.figures import Context, Facts, local_year_month
from ledger.models import HourEntry
from notifications.deadlines import sources
from notifications.deadlines.context import SweepContext
from notifications.events import event_kinds
from notifications.models import Reminder
from reviews.models import Inspection, Outcome, SpotCheckCampaign, SpotCheckSelection
from rules.selectors import NoRuleSetInForce

NOT_TRACKED = {"annual", "hours_shortfall"}
OVERDUE_LOOKBACK = dt.timedelta(days=3 * 366)


def collect_spotchecks(ctx: Context, facts: Facts) -> None:
    for path, year in SpotCheckCampaign.objects.values_list("division__path", "year"):
        facts.add(path, year, 0, "spot.campaigns")
    selections = SpotCheckSelection.objects.filter(draw__superseded=False).values_list(
        "pk", "plan_id", "plan__organiser__division__path", "draw__campaign__year")
    where = {}
    for pk, plan_id, path, year in selections.iterator():
        where[pk] = (plan_id, path, year)
        facts.add(path, year, 0, "spot.drawn")
    violated: dict[int, tuple[str, int]] = {}
    inspections = Inspection.objects.filter(selection_id__in=list(where)).values_list(
        "selection_id", "outcome", "violation_kind", "confirmed_at")
    for selection_id, outcome, kind, confirmed_at in inspections:
        plan_id, path, year = where[selection_id]
        facts.add(path, year, 0, "spot.inspected")
        facts.add(path, year, 0, "spot.outcome", outcome)
        if outcome == Outcome.VIOLATION and confirmed_at is not None:
            facts.add(path, year, 0, "spot.violations", kind)
            violated[plan_id] = (path, year)
    reversed_hours = (HourEntry.objects.filter(kind=HourEntry.Kind.REVERSAL, plan_id__in=list(violated))
                      .values_list("plan_id").annotate(hours=Sum("hours")).order_by())
    for plan_id, hours in reversed_hours:
        path, year = violated[plan_id]
        facts.add(path, year, 0, "spot.hours_reversed", value=-hours)


def _object_path(ctx: Context, object_key: str, inspections: dict[int, int]) -> str | None:
    """The division of the training behind a deadline ("plan:12@…", "report:12@…", "inspection:3"), when it names one."""
    kind, _, rest = object_key.partition(":")
    ident = rest.split("@", 1)[0]
    if not ident.isdigit():
        return None
    plan_id = (int(ident) if kind in ("plan", "report") else inspections.get(int(ident)) if kind == "inspection"
               else None)
    found = ctx.plans.get(plan_id) if plan_id is not None else None
    return found[0] if found else None


class _SweepContext(SweepContext):
    """The sweep's context, answering `policy` from the refresh's cache (once per division and rule-set
    period instead of once per division and day)."""

    def __init__(self, ctx: Context):
        super().__init__(ctx.now)
        self._refresh = ctx

    def policy(self, division, on):
        policy = self._refresh.policies.policy(division, on)
        if policy is None:
            raise NoRuleSetInForce(f"{division.name} 在 {on:%Y-%m-%d} 没有生效的规则集。")
        return policy


def collect_overdue(ctx: Context, facts: Facts) -> None:
    sweep_ctx = _SweepContext(ctx)
    users = dict(User.objects.filter(organisation__isnull=False).values_list(
        "pk", "organisation__division__path"))
    inspections = dict(Inspection.objects.values_list("pk", "selection__plan_id"))
    for source in sources():
        if source.kind in NOT_TRACKED:
            continue
        for deadline in source.collect(sweep_ctx, ctx.now - OVERDUE_LOOKBACK, ctx.now):
            year, month = local_year_month(deadline.due_at)
            path = _object_path(ctx, deadline.object_key, inspections)
            paths = {path} if path else {users[pk] for pk in deadline.recipients if pk in users}
            for each in paths:
                facts.add(each, year, month, "overdue.kind", source.kind)


def collect_reminders(ctx: Context, facts: Facts) -> None:
    # Deadline reminders only: decision notices share the Reminder rows (notifications.events).
    qs = (Reminder.objects.filter(sent_at__isnull=False, recipient__organisation__isnull=False)
          .exclude(kind__in=[kind.kind for kind in event_kinds()])
          .annotate(y=ExtractYear("deadline_at"), m=ExtractMonth("deadline_at"))
          .values("recipient__organisation__division__path", "y", "m", "kind").annotate(n=Count("pk")).order_by())
    for row in qs:
        facts.add(row["recipient__organisation__division__path"], row["y"], row["m"], "reminders.sent", row["kind"],
                  row["n"])

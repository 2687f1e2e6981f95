"""Certified hours and compliance with the annual minimums (学时达标), from the hour ledger.

Hours, per month of certification (the ledger row's time, Asia/Shanghai), at the division of the
training's organiser (or, for rows without a training, of the certifying authority):
- hours.subject / hours.source (key: the choice): credited hours; hours.reversed (key: subject):
  hours taken back by reversal rows; hours.credits: number of credit rows; org.hours per organiser.

Compliance, per credit year (学时年度), at each professional's home division: the division of the
employer (`Person.employer_organisation`), else that of the organiser of the training of the
person's latest ledger row (the last recorded), else that of the certifying authority of that row. A professional is in
scope of year Y with an employer on record or with any ledger row of year Y or earlier. The annual
minimums are read from the rule set in force at the home division on 31 December of Y
(`params["annual"]`: public, professional, total), never written here. Net hours (credits minus
reversals) as certified; whole-year conversions of the eligibility engine are not applied.
- compliance.persons, compliance.met (all three minimums), compliance.met_public,
  compliance.met_professional, compliance.short_hours (the sum of how far each is short),
  compliance.short (key: a band of how far short: "1-10", "11-30", "31-60", "61+").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Max, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from insights.figures import Context, Facts
from ledger.models import HourEntry, Person

SHORT_BANDS = ((10, "1-10"), (30, "11-30"), (60, "31-60"))


def short_band(short: int) -> str:
    for upper, label in SHORT_BANDS:
        if short <= upper:
            return label
    return "61+"


def collect_hours(ctx: Context, facts: Facts) -> None:
    qs = (HourEntry.objects
          .annotate(path=Coalesce(F("plan__organiser__division__path"), F("authority__division__path")),
                    cyear=ExtractYear("created_at"), cmonth=ExtractMonth("created_at"))
          .values("path", "plan__organiser_id", "cyear", "cmonth", "subject", "source", "kind")
          .annotate(hours=Sum("hours"), rows=Count("pk")).order_by())
    for row in qs.iterator(chunk_size=5000):
        path, year, month = row["path"], row["cyear"], row["cmonth"]
        if row["kind"] == HourEntry.Kind.REVERSAL:
            facts.add(path, year, month, "hours.reversed", row["subject"], -row["hours"])
            continue
        facts.add(path, year, month, "hours.subject", row["subject"], row["hours"])
        facts.add(path, year, month, "hours.source", row["source"], row["hours"])
        facts.add(path, year, month, "hours.credits", value=row["rows"])
        if row["plan__organiser_id"]:
            facts.add(path, year, month, "org.hours", value=row["hours"], organiser=row["plan__organiser_id"])


def _home_paths() -> dict[int, str]:
    """person -> home division path. The latest ledger row is the one recorded last (highest pk: the
    ledger is append-only), found with one grouped subquery rather than one lookup per person."""
    last_rows = HourEntry.objects.values("person_id").annotate(last=Max("pk")).values("last")
    latest = (HourEntry.objects.filter(pk__in=Subquery(last_rows))
              .annotate(path=Coalesce(F("plan__organiser__division__path"), F("authority__division__path")))
              .values_list("person_id", "path"))
    homes = dict(latest.iterator(chunk_size=10000))
    employers = Person.objects.filter(employer_organisation__isnull=False).values_list(
        "pk", "employer_organisation__division__path")
    homes.update(employers)
    return {pk: home for pk, home in homes.items() if home}


def _yearly_hours():
    """person -> {year: [public, professional]}, and each person's first year in the ledger."""
    sums: dict[int, dict[int, list[int]]] = defaultdict(dict)
    qs = HourEntry.objects.values_list("person_id", "year", "subject").annotate(hours=Sum("hours")).order_by()
    for person, year, subject, hours in qs.iterator(chunk_size=20000):
        pair = sums[person].setdefault(year, [0, 0])
        pair[0 if subject == "public" else 1] += hours
    return sums


def collect_compliance(ctx: Context, facts: Facts, *, years: list[int]) -> None:
    homes = _home_paths()
    with_employer = set(Person.objects.filter(employer_organisation__isnull=False).values_list("pk", flat=True))
    sums = _yearly_hours()
    by_path = {d.path: d for d in ctx.divisions_by_code.values()}
    for year in years:
        for person, home in homes.items():
            mine = sums.get(person, {})
            if person not in with_employer and not any(y <= year for y in mine):
                continue
            policy = ctx.policies.policy(by_path[home], dt.date(year, 12, 31))
            if policy is None:
                continue
            _judge(facts, home, year, policy["annual"], mine.get(year, [0, 0]))


def _judge(facts: Facts, path: str, year: int, annual: dict, hours: list[int]) -> None:
    public, professional = hours
    short_public = max(0, annual["public"] - public)
    short_professional = max(0, annual["professional"] - professional)
    short = max(short_public + short_professional, annual["total"] - public - professional)
    facts.add(path, year, 0, "compliance.persons")
    if short_public == 0:
        facts.add(path, year, 0, "compliance.met_public")
    if short_professional == 0:
        facts.add(path, year, 0, "compliance.met_professional")
    if short == 0:
        facts.add(path, year, 0, "compliance.met")
    else:
        facts.add(path, year, 0, "compliance.short_hours", value=short)
        facts.add(path, year, 0, "compliance.short", short_band(short))

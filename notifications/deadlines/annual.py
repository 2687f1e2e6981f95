"""Deadlines that come from the calendar: the rule sets' annual deadlines, and the year's hour minimums.

Annual deadlines (`params["annual_deadlines"]` of each rule set, e.g. the knowledge-update plan
table by 31 January, Songshan's plan and roster by 15 March) bind the issuer's subtree, one
deadline per rule set, item and year. Who is told follows the item's `who`:

- "department": organisers of the industry departments (行业主管部门) in the subtree;
- "league_and_department": reviewers of the league-level HR bureaus (盟市人社局) in the subtree,
  who compile their league's table, and organisers of the industry departments;
- anything else: organisers of every organisation in the subtree.

Hour shortfall: from 1 October, each professional with an account whose certified hours of the
year are below the region's annual minimums (`params["annual"]`) is reminded until 31 December.
Reductions and exemptions are not applied here: the reminder says what is certified so far.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import Role, User
from jurisdiction.models import Division, Organisation
from ledger.models import Person
from notifications.deadlines import Deadline, DeadlineSource, register_source
from notifications.deadlines.context import SweepContext, end_of_day, local_date
from rules.models import RuleSet

SHORTFALL_FROM = (10, 1)  # month, day: reminders about the year's hours start on 1 October


def _in_force(rs: RuleSet, day: dt.date) -> bool:
    return rs.effective_from <= day and (rs.effective_to is None or day <= rs.effective_to)


def _recipients(issuer: Division, who: str) -> frozenset[int]:
    users = User.objects.filter(is_active=True, organisation__division__path__startswith=issuer.path,
                                organisation__is_active=True)
    departments = Q(role=Role.ORGANISER, organisation__kind=Organisation.Kind.INDUSTRY_DEPT)
    if who == "department":
        users = users.filter(departments)
    elif who == "league_and_department":
        bureaus = Q(role=Role.REVIEWER, organisation__kind=Organisation.Kind.HRSS,
                    organisation__division__level=Division.Level.LEAGUE)
        users = users.filter(departments | bureaus)
    else:
        users = users.filter(role=Role.ORGANISER)
    return frozenset(users.values_list("pk", flat=True))


def _annual_items(start: dt.datetime, end: dt.datetime):
    for rs in RuleSet.objects.select_related("issuer"):
        for item in rs.params.get("annual_deadlines", []):
            month, day = (int(part) for part in item["month_day"].split("-"))
            for year in range(local_date(start).year, local_date(end).year + 1):
                deadline_day = dt.date(year, month, day)
                due = end_of_day(deadline_day)
                if _in_force(rs, deadline_day) and start <= due <= end:
                    yield rs, item, year, due


def collect_annual(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    for rs, item, year, due in _annual_items(start, end):
        recipients = _recipients(rs.issuer, item.get("who", ""))
        if user is not None and user.pk not in recipients:
            continue
        yield Deadline(
            kind="annual", object_key=f"annual:{rs.code}:{item['code']}@{year}", due_at=due,
            title=f"{year}年{item['label']}截止（{rs.name}）", action=f"请于截止日前{item['label']}。",
            url=reverse("notifications:deadlines"), recipients=recipients)


def _short_persons(year: int, annual: dict, user):
    def hours(subject):
        return Coalesce(Sum("hour_entries__hours",
                            filter=Q(hour_entries__year=year, hour_entries__subject=subject)), 0)

    qs = Person.objects.filter(user__isnull=False, user__is_active=True)
    if user is not None:
        qs = qs.filter(user=user)
    qs = qs.annotate(public_hours=hours("public"), professional_hours=hours("professional"))
    return qs.filter(Q(public_hours__lt=annual["public"]) | Q(professional_hours__lt=annual["professional"]))


def collect_hours(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    region = Division.objects.get(parent__isnull=True)
    for year in range(local_date(start).year, local_date(end).year + 1):
        due = end_of_day(dt.date(year, 12, 31))
        if not (start <= due <= end) or local_date(ctx.now) < dt.date(year, *SHORTFALL_FROM):
            continue
        annual = ctx.policy(region, dt.date(year, 12, 31))["annual"]
        for person in _short_persons(year, annual, user):
            yield Deadline(
                kind="hours_shortfall", object_key=f"hours:{person.pk}@{year}", due_at=due,
                title=(f"{year}年度继续教育学时未达标：公需科目{person.public_hours}/{annual['public']}学时，"
                       f"专业科目{person.professional_hours}/{annual['professional']}学时"),
                action=f"请在{year}年12月31日前参加培训，补足本年度学时。",
                url=reverse("ledger:my_hours"), recipients=frozenset([person.user_id]))


register_source(DeadlineSource("annual", "年度报送截止", collect_annual, offsets=(-30, -7, -3, -1, 0)))
register_source(DeadlineSource("hours_shortfall", "年度学时未达标", collect_hours,
                               offsets=(-91, -61, -30, -14, -7, -1)))

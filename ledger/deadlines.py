"""The ledger's deadline source (registered from LedgerConfig.ready()): the year's hour minimums.

Hour shortfall: from 1 October, each professional with an account whose certified hours of the
year are below the region's annual minimums (`params["annual"]`) is reminded until 31 December.
Reductions and exemptions are not applied here: the reminder says what is certified so far.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from jurisdiction.calendar import end_of_day, local_date
from jurisdiction.models import Division
from ledger.models import Person
from notifications.deadlines import Deadline, DeadlineSource, register_source
from notifications.deadlines.context import SweepContext
from rules.deadlines import sweep_policy

SHORTFALL_FROM = (10, 1)  # month, day: reminders about the year's hours start on 1 October


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
        annual = sweep_policy(ctx, region, dt.date(year, 12, 31))["annual"]
        for person in _short_persons(year, annual, user):
            yield Deadline(
                kind="hours_shortfall", object_key=f"hours:{person.pk}@{year}", due_at=due,
                title=(f"{year}年度继续教育学时未达标：公需科目{person.public_hours}/{annual['public']}学时，"
                       f"专业科目{person.professional_hours}/{annual['professional']}学时"),
                action=f"请在{year}年12月31日前参加培训，补足本年度学时。",
                url=reverse("ledger:my_hours"), recipients=frozenset([person.user_id]))


register_source(DeadlineSource("hours_shortfall", "年度学时未达标", collect_hours,
                               offsets=(-91, -61, -30, -14, -7, -1)))

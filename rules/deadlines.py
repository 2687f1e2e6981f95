"""Deadlines that come from the rule sets' calendar (registered from RulesConfig.ready()), and what
other apps' deadline sources use to read the rules once per sweep.

Annual deadlines (`params["annual_deadlines"]` of each rule set, e.g. the knowledge-update plan
table by 31 January, Songshan's plan and roster by 15 March) bind the issuer's subtree, one
deadline per rule set, item and year. Who is told follows the item's `who`:

- "department": organisers of the industry departments (行业主管部门) in the subtree;
- "league_and_department": reviewers of the league-level HR bureaus (盟市人社局) in the subtree,
  who compile their league's table, and organisers of the industry departments;
- anything else: organisers of every organisation in the subtree.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from accounts.models import Role, User
from jurisdiction.calendar import end_of_day, local_date
from jurisdiction.models import Division, Organisation
from notifications.deadlines import Deadline, DeadlineSource, register_source
from notifications.deadlines.context import SweepContext
from rules.models import RuleSet
from rules.selectors import Policy, policy_for


def sweep_policy(ctx: SweepContext, division: Division, on: dt.date) -> Policy:
    """The rules in force for the division on the day, looked up once per sweep."""
    return ctx.memo(("policy", division.code, on), lambda: policy_for(division=division, on=on))


def sweep_param_range(ctx: SweepContext, name: str, default: int) -> tuple[int, int]:
    """Smallest and largest value of a parameter over all rule sets, for SQL prefilters."""

    def compute() -> tuple[int, int]:
        values = [p.get(name) for p in RuleSet.objects.values_list("params", flat=True)]
        values = [v for v in values if isinstance(v, int)] or [default]
        return min(values + [default]), max(values + [default])

    return ctx.memo(("param_range", name, default), compute)


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


register_source(DeadlineSource("annual", "年度报送截止", collect_annual, offsets=(-30, -7, -3, -1, 0)))

"""What the collectors share during one sweep: the moment, and caches of users and policies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from accounts.models import Role, User
from rules.models import RuleSet
from rules.selectors import policy_for


class SweepContext:
    """Caches so that a sweep over thousands of deadlines asks the database a handful of times."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self._users: dict[str, dict[int, frozenset[int]]] = {}
        self._policies: dict[tuple[str, dt.date], object] = {}
        self._param_values: dict[str, list] = {}

    def users_of(self, organisation_id: int, role: str) -> frozenset[int]:
        """Active users with `role` in the organisation (organisers of a plan, reviewers of an authority)."""
        if role not in self._users:
            by_org: dict[int, set[int]] = defaultdict(set)
            rows = User.objects.filter(role=role, is_active=True, organisation__isnull=False)
            for pk, org_id in rows.values_list("pk", "organisation_id"):
                by_org[org_id].add(pk)
            self._users[role] = {k: frozenset(v) for k, v in by_org.items()}
        return self._users[role].get(organisation_id, frozenset())

    def organisers_of(self, organisation_id: int) -> frozenset[int]:
        return self.users_of(organisation_id, Role.ORGANISER)

    def reviewers_of(self, organisation_id: int) -> frozenset[int]:
        return self.users_of(organisation_id, Role.REVIEWER)

    def policy(self, division, on: dt.date):
        key = (division.code, on)
        if key not in self._policies:
            self._policies[key] = policy_for(division=division, on=on)
        return self._policies[key]

    def param_range(self, name: str, default: int) -> tuple[int, int]:
        """Smallest and largest value of a parameter over all rule sets, for SQL prefilters."""
        if name not in self._param_values:
            values = [p.get(name) for p in RuleSet.objects.values_list("params", flat=True)]
            self._param_values[name] = [v for v in values if isinstance(v, int)] or [default]
        values = self._param_values[name]
        return min(values + [default]), max(values + [default])


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a local (Asia/Shanghai) day."""
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(next_day) - dt.timedelta(microseconds=1)


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()

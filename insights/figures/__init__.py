"""What a refresh counts, one module per area. Each `collect_*` adds numbers to a `Facts` accumulator.

A figure is attributed to a division path (usually the organiser's county); `Facts` keeps the league
and county codes of that path, so that the pages can sum a node's figures by equality.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from jurisdiction.models import Division
from rules.models import RuleSet
from rules.selectors import NoRuleSetInForce, Policy, policy_for


@functools.lru_cache(maxsize=4096)
def path_codes(path: str) -> tuple[str, str]:
    """(league, county) of a division path; blanks above that level ("150000/150400/" -> ("150400", ""))."""
    parts = path.strip("/").split("/")
    return (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")


def local_year_month(moment: dt.datetime) -> tuple[int, int]:
    local = timezone.localtime(moment)
    return local.year, local.month


# The `county` of a league's roll-up rows: the sum of its rows, written by the refresh so that the
# region's page reads one row per league where it would read one per county.
LEAGUE_ROLLUP = "*"


class Facts:
    """Sums keyed by (league, county, organiser, year, month, metric, key)."""

    def __init__(self):
        self.values: Counter = Counter()

    def add(self, path: str, year: int, month: int, metric: str, key: str = "", value: int = 1,
            organiser: int | None = None) -> None:
        if value:
            league, county = path_codes(path)
            self.values[(league, county, organiser, year, month, metric, key)] += value
            if league and organiser is None:
                self.values[(league, LEAGUE_ROLLUP, None, year, month, metric, key)] += value

    def __len__(self) -> int:
        return len(self.values)


@dataclass
class Context:
    """What every collector shares during one refresh: the moment, the tree, and the rules in force."""

    now: dt.datetime
    policies: PolicyCache
    divisions_by_code: dict[str, Division]
    plans: dict[int, tuple[str, int]]       # plan pk -> (organiser's division path, organiser pk)


class PolicyCache:
    """`policy_for` once per division and rule-set period, not once per plan or person.

    The rules in force for a division change only on the days a rule set starts or ends, so within
    two such days one call answers for every day.
    """

    def __init__(self):
        bounds = set()
        for start, end in RuleSet.objects.values_list("effective_from", "effective_to"):
            bounds.add(start)
            if end is not None:
                bounds.add(end + dt.timedelta(days=1))
        self.bounds = sorted(bounds)
        self.cache: dict[tuple[str, int], Policy | None] = {}

    def policy(self, division: Division, on: dt.date) -> Policy | None:
        key = (division.code, bisect.bisect_right(self.bounds, on))
        if key not in self.cache:
            try:
                self.cache[key] = policy_for(division=division, on=on)
            except NoRuleSetInForce:
                self.cache[key] = None
        return self.cache[key]

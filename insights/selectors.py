"""Reads of the summary tables, always inside the user's scope (accounts.selectors decides scope).

- reviewers and inspectors: their organisation's division and the subtree below it;
- administrators: the whole region;
- organisers: only their own organisation's numbers;
- everyone else: nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.http import Http404

from accounts.models import Role
from accounts.selectors import AUTHORITY_ROLES, scope_q
from insights.figures import LEAGUE_ROLLUP, path_codes
from insights.models import Figure, Generation
from jurisdiction.models import Division, Organisation

PERIODS = {
    "year": ("全年", range(0, 13)),
    "h1": ("上半年", range(0, 7)), "h2": ("下半年", (0, *range(7, 13))),
    "q1": ("第一季度", (0, 1, 2, 3)), "q2": ("第二季度", (0, 4, 5, 6)),
    "q3": ("第三季度", (0, 7, 8, 9)), "q4": ("第四季度", (0, 10, 11, 12)),
}


def live_generation() -> Generation | None:
    return Generation.objects.filter(status=Generation.Status.LIVE).first()


def statistics_root_for(user) -> Division | None:
    """The highest node whose statistics the user may read; None for organisers and everyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.ADMIN:
        return Division.objects.get(parent__isnull=True)
    if user.role in AUTHORITY_ROLES and user.organisation_id:
        return user.organisation.division
    return None


def statistics_organisation_for(user) -> Organisation | None:
    """An organiser's own organisation, through the one scope rule (`scope_q`)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.ORGANISER:
        return None
    return Organisation.objects.filter(scope_q(user, organisation_field="")).first()


def statistics_division_for(user, code: str | None) -> Division:
    """The node asked about, if it lies in the user's subtree; 404 otherwise (deny by default)."""
    root = statistics_root_for(user)
    if root is None:
        raise Http404("没有可查看的统计范围。")
    if not code or code == root.code:
        return root
    division = Division.objects.filter(code=code, path__startswith=root.path).first()
    if division is None:
        raise Http404("该区划不在您的统计范围内。")
    return division


def _scope(division: Division) -> Q:
    """The rows that add up to a node: a county's own; a league's (its counties' and its own, not its
    roll-up rows); the region's roll-up rows of each league plus the rows at the region itself."""
    league, county = path_codes(division.path)
    if county:
        return Q(county=county)
    if league:
        return Q(league=league) & ~Q(county=LEAGUE_ROLLUP)
    return Q(county=LEAGUE_ROLLUP) | Q(league="")


def _organiser_scope(division: Division) -> Q:
    league, county = path_codes(division.path)
    return Q(county=county) if county else Q(league=league) if league else Q()


def _child_field(division: Division) -> str | None:
    league, county = path_codes(division.path)
    return None if county else "county" if league else "league"


@dataclass
class Numbers:
    """Sums of one node's figures: totals, by month, by child node, by organiser."""

    total: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    monthly: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    children: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    organisers: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def get(self, metric: str, key: str = "") -> int:
        return self.total[metric][key]

    def keys(self, metric: str) -> dict[str, int]:
        return dict(self.total[metric])


def division_numbers(*, generation: Generation, division: Division, year: int, period: str,
                     with_organisers: bool = True) -> Numbers:
    """Two indexed reads of the summary table: the node's figures, and its organisers' figures."""
    months = list(PERIODS[period][1])
    numbers = Numbers()
    child = _child_field(division)
    base = Figure.objects.filter(generation=generation, year=year, month__in=months)
    fields = ["month", "metric", "key"] + ([child] if child else [])
    rows = base.filter(_scope(division), organiser__isnull=True).values(*fields).annotate(v=Sum("value"))
    for row in rows.order_by():
        metric, key, value = row["metric"], row["key"], row["v"]
        numbers.total[metric][key] += value
        numbers.monthly[metric][key][row["month"]] += value
        if child:
            numbers.children[row[child]][metric][key] += value
    if with_organisers:
        rows = (base.filter(_organiser_scope(division), organiser__isnull=False)
                .values("organiser_id", "metric").annotate(v=Sum("value")))
        for row in rows.order_by():
            numbers.organisers[row["organiser_id"]][row["metric"]] += row["v"]
    return numbers


def organisation_numbers(*, generation: Generation, organisation: Organisation, year: int, period: str) -> Numbers:
    numbers = Numbers()
    rows = (Figure.objects.filter(generation=generation, organiser=organisation, year=year,
                                  month__in=list(PERIODS[period][1]))
            .values("month", "metric").annotate(v=Sum("value")).order_by())
    for row in rows:
        numbers.total[row["metric"]][""] += row["v"]
        numbers.monthly[row["metric"]][""][row["month"]] += row["v"]
    return numbers


def child_divisions(division: Division) -> list[Division]:
    return list(division.children.order_by("code"))


def available_years(generation: Generation | None) -> list[int]:
    return list(generation.years) if generation is not None else []

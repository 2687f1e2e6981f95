"""What a statistics page shows for a user: the scope, the year and period, and the tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from insights import tables as t
from insights.models import Generation
from insights.selectors import (
    PERIODS,
    available_years,
    child_divisions,
    division_numbers,
    live_generation,
    organisation_numbers,
    statistics_division_for,
    statistics_organisation_for,
    statistics_root_for,
)
from jurisdiction.models import Division, Organisation


@dataclass
class Page:
    generation: Generation | None
    year: int
    period: str
    years: list[int]
    division: Division | None = None
    organisation: Organisation | None = None
    trail: list[Division] = field(default_factory=list)
    headline: dict = field(default_factory=dict)
    tables: list[t.Table] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return PERIODS[self.period][0]

    def table(self, slug: str) -> t.Table:
        for table in self.tables:
            if table.slug == slug:
                return table
        raise Http404("没有这张统计表。")

    @property
    def trail_links(self) -> list[tuple[Division, str]]:
        return [(node, "?" + self.query(division=node.code)) for node in self.trail]

    @property
    def periods(self) -> list[tuple[str, str]]:
        return [(code, label) for code, (label, _) in PERIODS.items()]

    @property
    def charts(self) -> list[dict]:
        return [table.chart_data() for table in self.tables if table.chart]

    def query(self, **override) -> str:
        params = {"year": self.year, "period": self.period}
        if self.division is not None:
            params["division"] = self.division.code
        params.update(override)
        return "&".join(f"{k}={v}" for k, v in params.items())


def _year_and_period(params, years: list[int]) -> tuple[int, str]:
    current = timezone.localdate().year
    try:
        year = int(params.get("year") or (current if current in years or not years else years[0]))
    except ValueError as exc:
        raise Http404("年度应为四位数字。") from exc
    period = params.get("period") or "year"
    if period not in PERIODS:
        raise Http404("统计期间无效。")
    return year, period


def statistics_page(user, params) -> Page:
    """The page for a reviewer, inspector or administrator (a node) or an organiser (its own numbers)."""
    generation = live_generation()
    years = available_years(generation)
    year, period = _year_and_period(params, years)
    if statistics_root_for(user) is not None:
        division = statistics_division_for(user, params.get("division"))
        page = Page(generation, year, period, years, division=division, trail=_trail(user, division))
        if generation is not None:
            _authority_tables(page, generation)
        return page
    organisation = statistics_organisation_for(user)
    if organisation is None:
        raise Http404("没有可查看的统计。")
    page = Page(generation, year, period, years, organisation=organisation)
    if generation is not None:
        numbers = organisation_numbers(generation=generation, organisation=organisation, year=year, period=period)
        page.tables = t.organiser_tables(numbers, period)
    return page


def _trail(user, division: Division) -> list[Division]:
    root = statistics_root_for(user)
    codes = division.path.strip("/").split("/")
    chain = {d.code: d for d in Division.objects.filter(code__in=codes)}
    return [chain[c] for c in codes if c in chain and chain[c].path.startswith(root.path)]


def _authority_tables(page: Page, generation: Generation) -> None:
    n = division_numbers(generation=generation, division=page.division, year=page.year, period=page.period)
    base = reverse("insights:overview")

    def link(child):
        return f"{base}?{page.query(division=child.code)}"

    names = dict(Organisation.objects.filter(pk__in=list(n.organisers)).values_list("pk", "name"))
    persons, met = n.get("compliance.persons"), n.get("compliance.met")
    page.headline = {"rate": t.rate(met, persons), "persons": persons, "met": met,
                     "filed": n.get("plans.filed"), "approved": n.get("plans.approved"),
                     "hours": sum(n.keys("hours.subject").values())}
    children = child_divisions(page.division)
    page.tables = [t.divisions_table(n, children, link)] if children else []
    page.tables += t.compliance_tables(n)
    page.tables += t.filings_tables(n, page.period)
    page.tables += [t.reports_table(n)]
    page.tables += t.hours_tables(n, page.period)
    page.tables += [t.spotcheck_table(n), t.overdue_table(n), t.organisers_table(n, names)]

"""A small world for the statistics: plans of two leagues in every outcome, a certified training,
a report overdue, professionals with known hours, and a refresh after all of it.

Chifeng (150400): the owner organiser at Songshan (150404), reviewed by `reviewer`.
Ordos (150600): the outsider organiser at 150602, reviewed by `reviewer_other_league`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from filings import services
from filings.models import TrainingPlan
from ledger.models import HourEntry, Person, Source
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.support import certified_plan, id_number, plan_awaiting_report

# The moment of the refresh: after every training of the world, with the awaiting report overdue.
REFRESH_AT = NOW + dt.timedelta(days=120)


@dataclass
class StatsWorld:
    plans: dict[str, TrainingPlan] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)


def _filed(actor, **overrides) -> TrainingPlan:
    plan = services.plan_create(actor=actor, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)
    return services.plan_submit(plan=plan, actor=actor, now=NOW)


def _decide(**kwargs) -> TrainingPlan:
    """Decisions a day after filing, well before each training starts (none may be approved after)."""
    return services.plan_decide(now=NOW + dt.timedelta(days=1, hours=1), **kwargs)


def _person(seq: int, *, employer, area: str) -> Person:
    return Person.objects.create(id_number=id_number(seq, area=area), name=f"专技{seq}", sex="M",
                                 birth_date=dt.date(1980, 1, 1), employer_organisation=employer)


def _credit(person: Person, authority, *, public: int, professional: int, year: int = 2026,
            source: str = Source.TRAINING) -> None:
    for subject, hours in (("public", public), ("professional", professional)):
        if hours:
            HourEntry.objects.create(person=person, year=year, subject=subject, source=source, hours=hours,
                                     authority=authority, reason="测试：他处核定的学时")


@pytest.fixture
def stats_world(owner, outsider, reviewer, reviewer_other_league, region_bureau, owner_org, outsider_org):
    return build_stats_world(owner, outsider, reviewer, reviewer_other_league, owner_org, outsider_org)


def build_stats_world(owner, outsider, reviewer, reviewer_other_league, owner_org, outsider_org) -> StatsWorld:
    w = StatsWorld()
    # Helpers that run the clock go first, so the later approvals stay where they are.
    w.plans["certified"] = certified_plan(owner, reviewer, trainees=3)
    w.plans["awaiting"] = plan_awaiting_report(owner, reviewer, starts_at=NOW + dt.timedelta(days=31))
    w.plans["approved"] = _decide(plan=_filed(owner), actor=reviewer, decision="approve")
    returned = _decide(plan=_filed(owner, starts_at=NOW + dt.timedelta(days=45)), actor=reviewer,
                                    decision="return", reason="请补充师资")
    returned = services.plan_submit(plan=returned, actor=owner, now=NOW + dt.timedelta(days=1))
    w.plans["returned_then_approved"] = _decide(plan=returned, actor=reviewer, decision="approve")
    w.plans["rejected"] = _decide(plan=_filed(owner, starts_at=NOW + dt.timedelta(days=45)),
                                               actor=reviewer, decision="reject", reason="不符合要求")
    w.plans["withdrawn"] = services.plan_withdraw(plan=_filed(owner), actor=owner, reason="培训取消")
    w.plans["draft"] = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    w.plans["ordos_approved"] = _decide(plan=_filed(outsider), actor=reviewer_other_league,
                                                     decision="approve")
    w.plans["ordos_rejected"] = _decide(plan=_filed(outsider), actor=reviewer_other_league,
                                                     decision="reject", reason="重复举办")
    bureau = reviewer.organisation
    w.persons["met"] = _person(50, employer=owner_org, area="150404")
    _credit(w.persons["met"], bureau, public=30, professional=60)
    w.persons["short_public"] = _person(51, employer=owner_org, area="150404")
    _credit(w.persons["short_public"], bureau, public=20, professional=70)
    w.persons["nothing_this_year"] = _person(52, employer=owner_org, area="150404")
    _credit(w.persons["nothing_this_year"], bureau, public=30, professional=60, year=2025)
    w.persons["exam"] = _person(53, employer=owner_org, area="150404")
    _credit(w.persons["exam"], bureau, public=40, professional=60, source=Source.QUALIFICATION_EXAM)
    w.persons["ordos_met"] = _person(54, employer=outsider_org, area="150602")
    _credit(w.persons["ordos_met"], reviewer_other_league.organisation, public=35, professional=65)
    for plan in w.plans.values():
        plan.refresh_from_db()
    return w

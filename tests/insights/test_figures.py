"""Each figure of the summary tables against a count made independently in the test, on a small world."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.db.models import Q
from django.utils import timezone

from filings.models import PlanTransition, TrainingPlan
from insights.selectors import division_numbers
from insights.services import statistics_refresh
from insights.tables import median_hours
from jurisdiction.models import Division
from ledger.models import HourEntry, Person
from notifications.models import Reminder
from notifications.sweep import sweep
from rules.models import RuleSet
from tests.filings.conftest import NOW
from tests.insights.conftest import REFRESH_AT

pytestmark = pytest.mark.django_db
CHIFENG, ORDOS, REGION = "150000/150400/", "150000/150600/", "150000/"


def numbers(code: str, year: int = 2026, period: str = "year"):
    generation = statistics_refresh(now=REFRESH_AT)
    return division_numbers(generation=generation, division=Division.objects.get(code=code), year=year,
                            period=period)


def plans_reaching(state: str, path: str) -> int:
    return (TrainingPlan.objects.filter(organiser__division__path__startswith=path,
                                        transitions__to_state=state).distinct().count())


def test_it_counts_filings_by_outcome_as_the_transition_log_shows(stats_world):
    chifeng, region = numbers("150400"), numbers("150000")
    for state, metric in (("submitted", "filed"), ("approved", "approved"), ("returned", "returned"),
                          ("rejected", "rejected"), ("withdrawn", "withdrawn")):
        assert chifeng.get(f"plans.{metric}") == plans_reaching(state, CHIFENG), metric
        assert region.get(f"plans.{metric}") == plans_reaching(state, REGION), metric
    # and what the world was built to hold
    assert (chifeng.get("plans.filed"), chifeng.get("plans.approved"), chifeng.get("plans.returned")) == (6, 4, 1)
    assert (region.get("plans.filed"), region.get("plans.rejected")) == (8, 2)


def test_it_counts_filed_plans_by_subject_mode_and_start_month(stats_world):
    chifeng = numbers("150400")
    filed = TrainingPlan.objects.filter(organiser__division__path__startswith=CHIFENG,
                                        transitions__to_state="submitted").distinct()
    by_month = defaultdict(int)
    for plan in filed:
        by_month[timezone.localtime(plan.starts_at).month] += 1
    assert {m: v for m, v in chifeng.monthly["plans.filed"][""].items() if v} == dict(by_month)
    assert chifeng.get("plans.subject", "professional") == filed.filter(subject="professional").count()
    assert chifeng.get("plans.mode", "face_to_face") == filed.filter(mode="face_to_face").count()


def test_a_quarter_holds_only_its_months(stats_world):
    march_and_april = numbers("150400", period="q2").get("plans.filed")
    starts = [timezone.localtime(p.starts_at).month for p in TrainingPlan.objects.filter(
        organiser__division__path__startswith=CHIFENG, transitions__to_state="submitted").distinct()]
    assert march_and_april == sum(1 for m in starts if m in (4, 5, 6))
    assert numbers("150400", period="q1").get("plans.filed") == sum(1 for m in starts if m in (1, 2, 3))


def test_it_counts_reports_on_time_and_overdue(stats_world):
    chifeng = numbers("150400")
    assert chifeng.get("reports.on_time") == 1  # the certified training reported a day after its end
    assert chifeng.get("reports.late") == 0
    assert chifeng.get("reports.overdue") == 1  # the training still awaiting its report, 120 days on
    assert numbers("150600").get("reports.overdue") == 0


def test_it_counts_decisions_in_a_histogram_whose_median_is_the_middle_decision(stats_world):
    chifeng = numbers("150400")
    decisions = PlanTransition.objects.filter(plan__organiser__division__path__startswith=CHIFENG,
                                              to_state__in=["approved", "returned", "rejected"]).count()
    assert sum(chifeng.keys("decision.hours").values()) == decisions
    assert median_hours({"1": 1, "5": 1, "72": 1}) == 5.0
    assert median_hours({"0": 3, "48": 1}) == 0.0
    assert median_hours({}) is None


def _certified_hours(path: str) -> dict[tuple[int, int, str], int]:
    rows = HourEntry.objects.filter(kind="credit").filter(
        Q(plan__organiser__division__path__startswith=path)
        | Q(plan__isnull=True, authority__division__path__startswith=path))
    found = defaultdict(int)
    for entry in rows:
        local = timezone.localtime(entry.created_at)
        found[(local.year, local.month, entry.subject)] += entry.hours
    return found


def test_it_sums_certified_hours_by_subject_source_and_month(stats_world):
    expected = _certified_hours(CHIFENG)
    year = next(iter(expected))[0]
    chifeng = numbers("150400", year=year)
    for (_year, month, subject), hours in expected.items():
        assert chifeng.monthly["hours.subject"][subject][month] == hours
    assert sum(chifeng.keys("hours.subject").values()) == sum(expected.values())
    exam = sum(e.hours for e in HourEntry.objects.filter(source="qualification_exam",
                                                         authority__division__path__startswith=CHIFENG))
    assert chifeng.get("hours.source", "qualification_exam") == exam == 100


def _compliance(path: str, year: int, annual: dict) -> tuple[int, int, int]:
    """Persons in scope, persons meeting all three minimums, and the sum of shortfalls, counted here."""
    persons = met = short_sum = 0
    for person in Person.objects.all():
        entries = list(HourEntry.objects.filter(person=person).order_by("pk"))
        home = (person.employer_organisation.division.path if person.employer_organisation
                else entries[-1].plan.organiser.division.path)
        if not home.startswith(path) or not (person.employer_organisation or any(e.year <= year for e in entries)):
            continue
        public = sum(e.hours for e in entries if e.year == year and e.subject == "public")
        professional = sum(e.hours for e in entries if e.year == year and e.subject == "professional")
        short = max(max(0, annual["public"] - public) + max(0, annual["professional"] - professional),
                    annual["total"] - public - professional)
        persons += 1
        met += short == 0
        short_sum += short
    return persons, met, short_sum


def test_it_counts_professionals_meeting_the_annual_minimums_of_the_rule_set(stats_world):
    annual = RuleSet.objects.get(code="nmg-2026").params["annual"]
    chifeng = numbers("150400")
    persons, met, short = _compliance(CHIFENG, 2026, annual)
    assert (chifeng.get("compliance.persons"), chifeng.get("compliance.met"),
            chifeng.get("compliance.short_hours")) == (persons, met, short)
    # three trainees (24 professional hours), met, short of 10 public, nothing this year, exam
    assert (persons, met) == (7, 2)
    assert chifeng.get("compliance.short", "1-10") == 1
    assert chifeng.get("compliance.short", "61+") == 4
    region = numbers("150000")
    assert region.get("compliance.persons") == _compliance(REGION, 2026, annual)[0] == 8


def test_the_annual_minimums_come_from_the_rule_set_in_force(stats_world):
    rule_set = RuleSet.objects.get(code="nmg-2026")
    rule_set.params = {**rule_set.params, "annual": {"public": 40, "professional": 60, "total": 100}}
    rule_set.save()
    chifeng = numbers("150400")
    assert chifeng.get("compliance.met") == _compliance(CHIFENG, 2026, rule_set.params["annual"])[1] == 1


def test_overdue_deadlines_by_kind(stats_world):
    chifeng = numbers("150400", period="year")
    assert chifeng.keys("overdue.kind") == {"report_due": 1, "plan_filing": 1}
    assert numbers("150600").keys("overdue.kind") == {}


def test_a_league_never_holds_another_leagues_numbers(stats_world):
    chifeng, ordos, region = numbers("150400"), numbers("150600"), numbers("150000")
    assert ordos.get("plans.filed") == plans_reaching("submitted", ORDOS) == 2
    assert chifeng.get("plans.filed") + ordos.get("plans.filed") == region.get("plans.filed")
    assert set(region.children) == {"150400", "150600"}
    # Songshan's county, and "" for the hours certified by the league's own bureau (本级)
    assert set(chifeng.children) == {"150404", ""}


def test_reminders_sent_by_kind_at_the_recipients_division(stats_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=NOW + dt.timedelta(days=50))  # the report fell due three days before
    sent = Reminder.objects.filter(sent_at__isnull=False)
    expected = defaultdict(int)
    for reminder in sent.filter(recipient__organisation__division__path__startswith=CHIFENG,
                                deadline_at__year=2026):
        expected[reminder.kind] += 1
    assert expected  # the overdue report and the missed filing were reminded
    assert numbers("150400").keys("reminders.sent") == dict(expected)
    assert numbers("150600").keys("reminders.sent") == {}

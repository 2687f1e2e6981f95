"""rules.ledger_source: engine inputs from the hour ledger, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.models import Person
from rules.engine import Review
from rules.ledger_source import evaluate_people
from tests.rules.test_card_support import credit, flag, full_years, make_person, reverse_credit

pytestmark = pytest.mark.django_db
SENIOR_2026 = Review(kind="title_review", level="senior", date=dt.date(2026, 9, 1))


def verdict_of(person):
    [result] = evaluate_people(review=SENIOR_2026, ids=[person.pk])
    return result.verdict


def test_it_counts_three_complete_years_as_eligible(chifeng_bureau):
    person = make_person()
    full_years(person, chifeng_bureau, 2024, 2025, 2026)
    verdict = verdict_of(person)
    assert verdict.eligible is True
    assert verdict.required_years == [2024, 2025, 2026]
    assert verdict.years[2025].professional == 60


def test_a_reversal_takes_its_hours_away(chifeng_bureau):
    person = make_person()
    entries = full_years(person, chifeng_bureau, 2024, 2025, 2026)
    reverse_credit(entries[3])  # 2025 professional
    verdict = verdict_of(person)
    assert verdict.eligible is False
    assert verdict.years[2025].professional == 0
    assert verdict.years[2025].professional_missing == 60


def test_a_whole_year_source_counts_until_it_is_reversed(chifeng_bureau):
    person = make_person()
    full_years(person, chifeng_bureau, 2024, 2025)
    credit(person, 2026, "public", 30, chifeng_bureau)
    exam = credit(person, 2026, "professional", 0, chifeng_bureau, source="qualification_exam")
    assert verdict_of(person).eligible is True
    reverse_credit(exam)
    assert verdict_of(person).eligible is False


def test_flags_come_from_person_flags(chifeng_bureau, reviewer):
    person = make_person()
    full_years(person, chifeng_bureau, 2026)
    flag(person, "transferred_from_organ", reviewer, year=2025)
    verdict = verdict_of(person)
    assert verdict.eligible is True
    assert verdict.required_years == [2026]
    assert "transferred_from_organ" in verdict.applied


def test_post_start_year_comes_from_the_flag(chifeng_bureau, reviewer):
    person = make_person()
    full_years(person, chifeng_bureau, 2025, 2026)
    flag(person, "exceptional_promotion", reviewer, post_start_year=2025)
    assert verdict_of(person).required_years == [2025, 2026]


def test_a_person_without_entries_gets_a_verdict_with_no_hours():
    person = make_person()
    verdict = verdict_of(person)
    assert verdict.eligible is False
    assert all(t.public == 0 and t.professional == 0 for t in verdict.years.values())


def test_a_flag_the_engine_refuses_gives_an_error_not_a_crash(reviewer):
    person = make_person()
    flag(person, "transferred_from_organ", reviewer, year=2027)
    [result] = evaluate_people(review=SENIOR_2026, ids=[person.pk])
    assert result.verdict is None and "2027" in result.error


def _queries_for(count: int, authority, birth_year: int) -> int:
    for n in range(count):
        full_years(make_person(n, birth=f"{birth_year}0101"), authority, 2025, 2026)
    with CaptureQueriesContext(connection) as captured:
        results = list(evaluate_people(review=SENIOR_2026, persons_qs=Person.objects.all(), chunk_size=1000))
    assert len(results) == Person.objects.count()
    return len(captured)


def test_the_query_count_does_not_grow_with_the_persons(chifeng_bureau):
    few = _queries_for(2, chifeng_bureau, 1970)
    many = _queries_for(40, chifeng_bureau, 1971)
    assert few == many


def test_chunks_cover_every_person_once(chifeng_bureau):
    people = [make_person(200 + n) for n in range(7)]
    results = list(evaluate_people(review=SENIOR_2026, persons_qs=Person.objects.all(), chunk_size=3))
    assert sorted(r.person_id for r in results) == sorted(p.pk for p in people)


def test_sharing_verdicts_between_alike_persons_changes_no_verdict(chifeng_bureau, reviewer):
    for n in range(12):
        person = make_person(n, birth=f"{1968 + n % 4}0{1 + n % 3}15", male=bool(n % 2))
        full_years(person, chifeng_bureau, *([2024, 2025, 2026] if n % 3 else [2025, 2026]))
        if n % 5 == 0:
            flag(person, "epidemic_frontline", reviewer, year=2024)
    shared = [r.verdict.as_dict() for r in evaluate_people(review=SENIOR_2026, persons_qs=Person.objects.all())]
    alone = [r.verdict.as_dict() for r in evaluate_people(review=SENIOR_2026, persons_qs=Person.objects.all(),
                                                          memo=False)]
    assert shared == alone
    assert len({v["key"] for v in shared}) == 12


def test_no_ids_means_no_verdicts():
    assert list(evaluate_people(review=SENIOR_2026, ids=[])) == []

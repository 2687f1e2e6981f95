"""rules.ledger_source.evaluate_people, whose plain persons take the prepared review's fast path from one row
of window hours each, gives every person of a random ledger the verdict of the general path: PersonInputs
built by `inputs_for` (the hours aggregate per year, subject and source) and judged by `evaluate`."""

import datetime as dt
import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger.models import HourEntry, Person, PersonFlag
from rules.engine import Review
from rules.engine.prepared import PreparedReview
from rules.engine.types import FLAG_LABELS
from rules.ledger_source import evaluate_people, inputs_for, judge, review_policy
from tests.rules.test_card_support import make_person

pytestmark = pytest.mark.django_db

REVIEWS = [
    Review(kind="title_review", level="senior", date=dt.date(2026, 9, 1)),
    Review(kind="title_review", level="junior", date=dt.date(2025, 3, 1)),
    Review(kind="title_review", level="intermediate", date=dt.date(2022, 9, 1)),
    Review(kind="title_review", level="senior", date=dt.date(2019, 9, 1)),
    Review(kind="recognition", level="master", date=dt.date(2024, 9, 1), region="152500"),
    Review(kind="recognition", level="bachelor", date=dt.date(2019, 9, 1)),
    Review(kind="post_appointment", level="grade_10_up", date=dt.date(2024, 6, 30), region="152500"),
    Review(kind="post_appointment", level="grade_11_down", date=dt.date(2022, 6, 1), region="150600"),
    Review(kind="annual_appraisal", level=None, date=dt.date(2022, 12, 1), region="150600"),
    Review(kind="commendation", level=None, date=dt.date(2026, 1, 5)),
    Review(kind="recognition", level="doctor", date=dt.date(2026, 9, 1)),
    Review(kind="post_appointment", level="grade_10_up", date=dt.date(2019, 9, 1)),  # refused: not in the 2017 set
]
SOURCES = ("training", "training", "training", "seminar", "staff_training", "qualification_exam", "research_project",
           "degree_course", "title_exam")


def random_ledger(rng: random.Random, authority, recorded_by, count: int) -> None:
    for n in range(count):
        birth = dt.date(rng.randint(1955, 1995), rng.randint(1, 12), rng.randint(1, 28))
        if n % 7 == 0:  # a birthday on a review day
            birth = dt.date(rng.choice((1964, 1969, 1970, 1971, 1975, 1976)), 9, 1)
        person = make_person(1000 + n, birth=f"{birth:%Y%m%d}", male=rng.random() < 0.5)
        credits = []
        for _ in range(rng.choice((0, 2, 4, 6, 6, 8, 12))):
            source = rng.choice(SOURCES) if rng.random() < 0.3 else "training"
            subject = "professional" if source != "training" or rng.random() < 0.5 else "public"
            hours = 0 if source in SOURCES[5:] else rng.choice((0, 5, 15, 29, 30, 31, 45, 59, 60, 61))
            credits.append(HourEntry(person=person, year=rng.randint(2015, 2027), subject=subject, source=source,
                                     hours=hours, authority=authority))
        HourEntry.objects.bulk_create(credits)
        HourEntry.objects.bulk_create([reversal(rng, c, authority) for c in credits if rng.random() < 0.15])
        if rng.random() < 0.25:
            PersonFlag.objects.create(
                person=person, code=rng.choice(tuple(FLAG_LABELS)), year=rng.choice((None, 2019, 2021, 2023, 2024, 2025)),
                post_start_year=rng.choice((None, 2023, 2025)), evidence="调令", recorded_by=recorded_by)


def reversal(rng: random.Random, credit: HourEntry, authority) -> HourEntry:
    """Mostly the credit's mirror; now and then one that takes more hours, or books them in another year, so that
    a subject-year's net hours go below zero (which counts as none)."""
    year, hours = credit.year, -credit.hours
    if rng.random() < 0.3:
        year, hours = rng.choice((credit.year, credit.year + 1)), -rng.choice((1, 20, 70))
    return HourEntry(person=credit.person, year=year, subject=credit.subject, source=credit.source, hours=hours,
                     kind=HourEntry.Kind.REVERSAL, reverses=credit, authority=authority, reason="更正")


def reference(review: Review) -> list:
    """The general path for every person: full inputs from the ledger, judged by the engine."""
    policy = review_policy(review)
    people = list(Person.objects.order_by("pk").values_list("pk", "birth_date", "sex"))
    inputs = inputs_for(persons=people, review=review, conversions=policy["eligibility"]["conversions"])
    return [judge(inputs[pid], review, policy, pid=pid) for pid, _birth, _sex in people]


def answers(results) -> list:
    return [(r.person_id, r.error, r.verdict, r.verdict and json.dumps(r.verdict.as_dict(), ensure_ascii=False))
            for r in results]


def test_every_person_of_a_random_ledger_gets_the_general_paths_verdict(chifeng_bureau, reviewer, monkeypatch):
    random_ledger(random.Random(1130), chifeng_bureau, reviewer, 160)
    fast_calls, errors = [], 0
    fast = PreparedReview.evaluate_hours
    monkeypatch.setattr(PreparedReview, "evaluate_hours", lambda self, *a: fast_calls.append(a) or fast(self, *a))
    for review in REVIEWS:
        expected = answers(reference(review))
        for memo in (False, True):
            found = answers(evaluate_people(review=review, persons_qs=Person.objects.all(), chunk_size=37, memo=memo))
            assert found == expected, review
        errors += sum(1 for _pid, error, *_rest in expected if error)
    assert len(fast_calls) > 500  # many plain persons: the fast path was compared, not only the general one
    assert errors >= 160  # the refused review, and flags the engine refuses: errors compared too


def _queries_for(count: int, authority, recorded_by, birth: str) -> int:
    for n in range(count):
        person = make_person(n, birth=birth)
        HourEntry.objects.create(person=person, year=2025, subject="public", hours=30, authority=authority)
        if n % 2:
            PersonFlag.objects.create(person=person, code="epidemic_frontline", year=2024, evidence="证明",
                                      recorded_by=recorded_by)
    with CaptureQueriesContext(connection) as captured:
        results = list(evaluate_people(review=REVIEWS[0], persons_qs=Person.objects.all(), chunk_size=1000,
                                       memo=False))
    assert len(results) == Person.objects.count()
    return len(captured)


def test_the_query_count_does_not_grow_with_flagged_persons(chifeng_bureau, reviewer):
    assert _queries_for(2, chifeng_bureau, reviewer, "19800101") == _queries_for(40, chifeng_bureau, reviewer, "19810101")

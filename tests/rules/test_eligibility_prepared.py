"""rules.engine.prepared: the prepared review and its fast path answer exactly as the general engine.

Randomised: many persons (ages around every threshold, both sexes, flags, special sources, minutes,
hours around the requirements) under every review kind and level, several dates and regions, each
judged by `PreparedReview.evaluate` and by `evaluate`; verdicts and errors must be identical.
"""

import dataclasses
import datetime as dt
import json
import random

import pytest

from rules.eligibility import review_policy
from rules.engine import EligibilityInputError, Flag, PersonInput, Record, Review, Verdict, evaluate
from rules.engine.prepared import PreparedReview
from rules.engine.types import FLAG_LABELS, YearTally
from rules.ledger_source import LedgerVerdict

pytestmark = pytest.mark.django_db

DATES = ("2019-06-30", "2022-03-01", "2023-12-31", "2024-05-20", "2025-09-01", "2026-09-01")
REGIONS = (None, "150600", "152500", "152501")
ORDINARY = ("training", "staff_training", "industry_training", "seminar", "skills_training", "teacher_training")
SPECIAL = ("qualification_exam", "research_project", "degree_course", "title_exam")
LEVELS = {
    "title_review": ("senior", "intermediate", "junior"),
    "post_appointment": ("grade_10_up", "grade_11_down"),
    "recognition": ("college", "bachelor", "master", "doctor"),
    "annual_appraisal": (None,),
    "commendation": (None,),
}


def reviews():
    for day in DATES:
        for region in REGIONS:
            for kind, levels in LEVELS.items():
                for level in levels:
                    yield Review(kind=kind, level=level, date=dt.date.fromisoformat(day), region=region)
    # Reviews the engine refuses: a level where none is taken, a level a kind does not know.
    yield Review(kind="annual_appraisal", level="senior", date=dt.date(2026, 9, 1))
    yield Review(kind="title_review", level="master", date=dt.date(2026, 9, 1))
    yield Review(kind="post_appointment", level="grade_10_up", date=dt.date(2019, 9, 1))  # not in the 2017 set


def random_birth(rng: random.Random, day: dt.date) -> dt.date:
    age = rng.choice([rng.randint(22, 70), 44, 45, 49, 50, 54, 55])
    if rng.random() < 0.3:  # the birthday on, just before or just after the review day
        birth = day.replace(year=day.year - age) if (day.month, day.day) != (2, 29) else dt.date(day.year - age, 3, 1)
        return birth + dt.timedelta(days=rng.choice((-1, 0, 1)))
    return dt.date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))


def random_records(rng: random.Random, year: int, special: float) -> tuple[Record, ...]:
    records = []
    for _ in range(rng.choice((0, 1, 2, 4, 6, 6, 6, 8, 10))):
        source = rng.choice(SPECIAL) if rng.random() < special else rng.choice(ORDINARY)
        subject = "professional" if source in SPECIAL or rng.random() < 0.5 else "public"
        hours = rng.choice((0, 1, 10, 20, 29, 30, 31, 40, 59, 60, 61, 90))
        if source in SPECIAL and rng.random() < 0.7:
            records.append(Record(rng.randint(year - 5, year + 1), subject, source))
        elif rng.random() < 0.2:
            records.append(Record(rng.randint(year - 5, year + 1), subject, source, minutes=hours * 45 + rng.randint(-44, 44)))
        else:
            records.append(Record(rng.randint(year - 5, year + 1), subject, source, hours=hours))
    return tuple(records)


def random_flags(rng: random.Random, year: int) -> tuple[Flag, ...]:
    if rng.random() < 0.6:
        return ()
    return tuple(Flag(rng.choice(tuple(FLAG_LABELS)), rng.choice((None, year - 3, year - 2, year - 1, year, year + 1)))
                 for _ in range(rng.choice((1, 1, 2))))


def random_person(rng: random.Random, n: int, review: Review) -> PersonInput:
    flags = random_flags(rng, review.year)
    post_start = rng.choice((None, review.year - 2, review.year, review.year + 1)) if rng.random() < 0.3 else None
    sex = rng.choice("MF") if rng.random() < 0.98 else "X"  # an unknown sex: the engine's error must stand
    return PersonInput(f"P-{n}", random_birth(rng, review.date), sex, flags, post_start,
                       random_records(rng, review.year, special=rng.choice((0, 0, 0.1, 0.4))))


def outcome(judge, person):
    try:
        verdict = judge(person)
    except (EligibilityInputError, KeyError) as exc:
        return type(exc), exc.args
    return verdict, json.dumps(verdict.as_dict(), ensure_ascii=False)


def general_engine(review: Review, policy):
    return lambda person: evaluate(review=review, person=person, params=policy.params, rules_code=policy.code,
                                   notice=policy.notice)


def test_the_prepared_review_gives_every_person_the_general_engines_verdict(monkeypatch):
    fast_calls = []
    fast = PreparedReview.evaluate_hours
    monkeypatch.setattr(PreparedReview, "evaluate_hours", lambda self, *a: fast_calls.append(a) or fast(self, *a))
    rng, compared, refused = random.Random(20261130), 0, 0
    for review in reviews():
        try:
            policy = review_policy(review)
        except EligibilityInputError:
            refused += 1
            continue
        prepared = PreparedReview(review=review, params=policy.params, rules_code=policy.code, notice=policy.notice)
        for n in range(60):
            person = random_person(rng, n, review)
            general = outcome(general_engine(review, policy), person)
            assert outcome(prepared.evaluate, person) == general, (review, person)
            compared += 1
    assert refused == 0
    assert compared > 8000
    assert len(fast_calls) > compared // 3  # the fast path did most of the plain persons' work


def test_the_fast_path_covers_every_judgement():
    """Age exemptions, partial reductions (one year, one third), the 2017 totals, an empty window and an
    unregulated review each reach the fast path and agree with the general engine."""
    cases = [
        ("title_review", "senior", "2026-09-01", "1970-09-01", "M", 2026),  # full age on the birthday
        ("title_review", "senior", "2026-09-01", "1975-01-01", "M", 2025),  # partial: one complete year
        ("title_review", "senior", "2022-09-01", "1970-01-01", "M", 2021),  # partial: one third of the hours
        ("title_review", "senior", "2019-09-01", "1990-01-01", "F", 2017),  # 2017 attendance and total
        ("recognition", "doctor", "2026-09-01", "1990-01-01", "F", 2026),  # no year required
        ("annual_appraisal", None, "2026-09-01", "1990-01-01", "M", 2026),  # no notice sets hours
        ("post_appointment", "grade_10_up", "2026-09-01", "1960-01-01", "M", 2026),
    ]
    for kind, level, day, birth, sex, full_year in cases:
        review = Review(kind=kind, level=level, date=dt.date.fromisoformat(day))
        policy = review_policy(review)
        prepared = PreparedReview(review=review, params=policy.params, rules_code=policy.code, notice=policy.notice)
        person = PersonInput("K", dt.date.fromisoformat(birth), sex, (), None, (
            Record(full_year, "public", "training", 30), Record(full_year, "professional", "seminar", 60),
            Record(full_year - 1, "public", "training", 12)))
        assert prepared.plain(sex) and prepared.window_hours(person.records) is not None
        general = evaluate(review=review, person=person, params=policy.params, rules_code=policy.code,
                           notice=policy.notice)
        assert prepared.evaluate(person) == general
        assert json.dumps(prepared.evaluate(person).as_dict()) == json.dumps(general.as_dict())


def test_a_review_the_engine_refuses_is_refused_for_every_person_alike():
    review = Review(kind="title_review", level="master", date=dt.date(2026, 9, 1))
    policy = review_policy(review)
    prepared = PreparedReview(review=review, params=policy.params, rules_code=policy.code, notice=policy.notice)
    assert prepared.fast is False
    person = PersonInput("K", dt.date(1980, 1, 1), "M")
    with pytest.raises(EligibilityInputError) as refused:
        prepared.evaluate(person)
    with pytest.raises(EligibilityInputError) as general:
        evaluate(review=review, person=person, params=policy.params, rules_code=policy.code, notice=policy.notice)
    assert (refused.value.field_name, refused.value.message) == (general.value.field_name, general.value.message)
    assert refused.value.field_name == "level"


TALLY = (29, 61, False, 1, 0, ("degree_course",))


@pytest.mark.parametrize("cls, values", [
    (YearTally, TALLY),
    (Verdict, ("K", False, [2025], {2025: YearTally(*TALLY)}, ["age_partial"], ["原因"], "通知")),
    (LedgerVerdict, (7, None, "flags[0].year：须填写年份。")),
])
def test_direct_builds_what_the_constructor_builds(cls, values):
    made, direct = cls(*values), cls.direct(*values)
    assert list(vars(direct).items()) == list(vars(made).items())
    assert list(vars(direct)) == [f.name for f in dataclasses.fields(cls)]  # no field left out or added
    assert direct == made and repr(direct) == repr(made)
    assert vars(cls.direct(*values[:-1])) == vars(cls(*values[:-1]))  # the same default for the last field
    with pytest.raises(dataclasses.FrozenInstanceError):
        direct.key = "other" if cls is Verdict else None

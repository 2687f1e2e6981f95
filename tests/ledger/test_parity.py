"""Parity: a person recorded through the ledger services gets the same verdict on the professional's page,
the audit card and the title office's batch as the `eligibility` command gives for the equivalent JSON.

One table of cases (every source, every circumstance, every rule-set year, the review kinds); a new reading
is one more row. Each case is recorded the way the system records it: training hours through the ledger
writer that certification uses, every other source as a credit application approved by a reviewer,
every circumstance as a record approved by a reviewer, the person working for an employer in the case's
division (so the division's rule set applies on both sides: `review.region` is that division).

Every row runs; a row may carry `pending` (a strict xfail with the reason) while the engine lacks a reading
until one is added.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role
from ledger import services as ledger_services
from ledger.models import Person
from ledger.services.applications import (
    CircumstanceData,
    CreditData,
    application_approve,
    circumstance_record,
    credit_apply,
)
from rules.cards import batch, card_issue
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.applications_support import evidence, hr_user
from tests.ledger.support import id_number

pytestmark = pytest.mark.django_db
WHOLE_YEAR = {"qualification_exam", "research_project", "degree_course", "title_exam"}
PENDING = "second edition of the eligibility engine (engineer rules): "


@dataclass(frozen=True)
class Case:
    name: str
    day: str
    kind: str = "title_review"
    level: str | None = "senior"
    region: str = "150404"  # Songshan: nmg-* sets, and ssq-2025 in 2025
    birth: str = "19800101"
    male: bool = True
    records: tuple = ()  # (year, subject, source, hours, minutes)
    flags: tuple = ()  # (code, year, post_start_year)
    pending: str = ""
    extra: dict = field(default_factory=dict)


def full(*years) -> tuple:
    return tuple(r for y in years for r in ((y, "public", "training", 30, None), (y, "professional", "training", 60, None)))


def public(*years) -> tuple:
    return tuple((y, "public", "training", 30, None) for y in years)


def source(year, name, hours=60, minutes=None) -> tuple:
    return ((year, "professional", name, None if name in WHOLE_YEAR else hours, minutes),)


def y2017(*years, public_hours=20, professional_hours=40) -> tuple:
    return tuple(r for y in years for r in ((y, "public", "training", public_hours, None),
                                            (y, "professional", "training", professional_hours, None)))


CASES = [
    # --- 2024–2026 sets: windows and every source
    Case("2026 senior, three complete years", "2026-09-01", records=full(2024, 2025, 2026)),
    Case("2026 senior, a year short", "2026-09-01", records=full(2025, 2026)),
    Case("2026 junior, professional missing", "2026-09-01", level="junior", records=public(2026)),
    *[Case(f"2026 junior, {name}", "2026-09-01", level="junior", records=public(2026) + source(2026, name))
      for name in ("industry_training", "skills_training", "teacher_training", "qualification_exam",
                   "research_project", "degree_course")],
    Case("2026 junior, staff training in both subjects", "2026-09-01", level="junior",
         records=((2026, "public", "staff_training", 30, None), (2026, "professional", "staff_training", 60, None))),
    Case("2026 junior, seminar 2700 minutes", "2026-09-01", level="junior",
         records=public(2026) + source(2026, "seminar", None, 2700)),
    Case("2026 junior, seminar 2699 minutes", "2026-09-01", level="junior",
         records=public(2026) + source(2026, "seminar", None, 2699)),
    Case("2025 Songshan set, senior", "2025-09-01", records=full(2023, 2024, 2025)),
    Case("2024 senior, exam fills a year", "2024-09-01", records=full(2022, 2023) + public(2024) + source(
        2024, "qualification_exam")),
    # --- 2022 set
    Case("2023 junior, research project", "2023-06-01", level="junior",
         records=public(2023) + source(2023, "research_project")),
    Case("2023 junior, degree course", "2023-06-01", level="junior", records=public(2023) + source(2023, "degree_course")),
    Case("2023 senior, seminar minutes short", "2023-06-01",
         records=full(2021, 2022) + public(2023) + source(2023, "seminar", None, 2699)),
    # --- 2017 set (reviews 2018–2021)
    Case("2019 senior, attended and 180 hours", "2019-09-01", records=y2017(2016, 2017, 2018)),
    Case("2019 senior, exam counts 30 hours", "2019-09-01",
         records=y2017(2016, 2017) + ((2018, "public", "training", 20, None),) + source(2018, "qualification_exam")),
    Case("2019 junior, 100 hours short", "2019-09-01", level="junior", records=y2017(2017, 2018, public_hours=10)),
    Case("2019 senior, title exam counts 30 hours", "2019-09-01",
         records=y2017(2016, 2017) + ((2018, "public", "training", 20, None),) + source(2018, "title_exam")),
    # --- circumstances
    Case("2026 non-public", "2026-09-01", records=public(2026), flags=(("non_public", None, None),)),
    Case("2024 grassroots", "2024-09-01", records=public(2024), flags=(("grassroots", None, None),)),
    Case("2026 post-doctoral, senior", "2026-09-01", flags=(("postdoc_retained", None, None),)),
    Case("2026 post-doctoral, junior", "2026-09-01", level="junior", flags=(("postdoc_retained", None, None),)),
    Case("2023 epidemic front line", "2023-06-01", flags=(("epidemic_frontline", 2022, None),)),
    Case("2025 epidemic year dropped", "2025-09-01", records=full(2023, 2025),
         flags=(("epidemic_frontline", 2024, None),)),
    Case("2026 transferred in 2025", "2026-09-01", records=full(2026), flags=(("transferred_from_organ", 2025, None),)),
    Case("2026 transferred this year", "2026-09-01", flags=(("transferred_from_organ", 2026, None),)),
    Case("2023 transferred in 2022", "2023-06-01", records=full(2023), flags=(("transferred_from_organ", 2022, None),)),
    Case("2026 exceptional promotion", "2026-09-01", records=full(2025, 2026),
         flags=(("exceptional_promotion", None, 2025),)),
    Case("2026 left to start a business", "2026-09-01", records=public(2026),
         flags=(("left_to_start_business", None, None),)),
    Case("2025 left to start a business (no such rule yet)", "2025-09-01", records=public(2025),
         flags=(("left_to_start_business", None, None),)),
    Case("2024 Xilingol, unit plan filed", "2024-09-01", level="junior", region="152502", records=public(2024),
         flags=(("unit_plan_filed", 2024, None),)),
    # --- age (from the ID number; nothing recorded)
    Case("2026 full age, nothing recorded", "2026-09-01", birth="19700101"),
    Case("2026 partial age, one complete year", "2026-09-01", birth="19750101", records=full(2026)),
    Case("2023 partial age, a third of the hours", "2023-06-01", birth="19780101", male=False,
         records=full(2023)),
    Case("2019 partial age, a third of 170", "2019-09-01", birth="19650101", records=y2017(2018)),
    # --- review kinds
    Case("2026 post appointment grade 10 and up", "2026-09-01", kind="post_appointment", level="grade_10_up",
         records=full(2025, 2026)),
    Case("2026 post appointment grade 11 and down", "2026-09-01", kind="post_appointment", level="grade_11_down",
         records=full(2026)),
    Case("2026 recognition, master", "2026-09-01", kind="recognition", level="master", records=full(2025, 2026)),
    Case("2026 recognition, doctor", "2026-09-01", kind="recognition", level="doctor"),
    Case("2019 recognition, bachelor", "2019-09-01", kind="recognition", level="bachelor", records=y2017(2018)),
    Case("2022 Ordos annual appraisal", "2022-09-01", kind="annual_appraisal", level=None, region="150602",
         records=full(2021)),
    Case("2022 Ordos commendation", "2022-09-01", kind="commendation", level=None, region="150602",
         records=public(2021)),
]


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.pending)] if case.pending else []
        yield pytest.param(case, id=case.name, marks=marks)


# --- the JSON side ------------------------------------------------------------------------------

def _json_record(record) -> dict:
    year, subject, src, hours, minutes = record
    found = {"year": year, "subject": subject, "source": src}
    if minutes is not None:
        found["minutes"] = minutes
    elif hours is not None:
        found["hours"] = hours
    return found


def _json_flag(flag) -> dict:
    code, year, _post = flag
    return {"code": code, **({"year": year} if year is not None else {})}


def command_verdict(case: Case, number: str, tmp_path) -> dict:
    post = next((p for _c, _y, p in case.flags if p is not None), None)
    payload = {"review": {"kind": case.kind, "level": case.level, "date": case.day, "region": case.region},
               "persons": [{"key": "P", "id_number": number, "flags": [_json_flag(f) for f in case.flags],
                            "post_start_year": post, "records": [_json_record(r) for r in case.records]}]}
    source_file, answer_file = tmp_path / "in.json", tmp_path / "out.json"
    source_file.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    try:
        call_command("eligibility", "--input", str(source_file), "--output", str(answer_file))
    except SystemExit as exit_:
        raise AssertionError(f"the eligibility command refused the input (exit {exit_.code})") from None
    answer = json.loads(answer_file.read_text(encoding="utf-8"))
    return {"rules": answer["review"]["rules"], **answer["results"][0]}


# --- the ledger side ----------------------------------------------------------------------------

def _people(case: Case):
    league = division(case.region[:4] + "00")
    bureau = OrganisationFactory(name=f"{league.name}人社局", kind="hrss", division=league)
    hospital = OrganisationFactory(name="参比医院", kind="employer", division=division(case.region))
    reviewer = UserFactory(username="parity_reviewer", role=Role.REVIEWER, organisation=bureau)
    user = UserFactory(username="parity_prof", role=Role.PROFESSIONAL, organisation=None)
    number = id_number(7, birth=case.birth, male=case.male, area=case.region)
    person = ledger_services.persons_ensure(people=[ledger_services.PersonData(number, "参比人员")],
                                            employer_organisation=hospital)[number]
    Person.objects.filter(pk=person.pk).update(user=user)
    return person, number, hr_user(hospital, "parity_hr"), reviewer, user, bureau


def _record(case: Case, person, hr, reviewer, bureau) -> None:
    training = [r for r in case.records if r[2] == "training"]
    ledger_services.hour_entries_credit(credits=[
        ledger_services.Credit(person=person, year=y, subject=s, source="training", hours=h, authority_id=bureau.pk)
        for y, s, _src, h, _m in training], actor=reviewer)
    for year, subject, src, hours, minutes in (r for r in case.records if r[2] != "training"):
        data = CreditData(source=src, subject=subject, title=f"{src} {year}", certificate_date=dt.date(year, 3, 1),
                          hours=hours if minutes is None else None, minutes=minutes, approval_reference="批准文号")
        application_approve(application=credit_apply(person=person, actor=hr, data=data, evidence=evidence()),
                            actor=reviewer)
    for code, year, post in case.flags:
        start = dt.date(year, 1, 1) if year else dt.date(int(case.day[:4]) - 1, 1, 1)
        data = CircumstanceData(code=code, effective_from=start, year=year, post_start_year=post,
                                conditions="符合通知所列条件")
        application_approve(application=circumstance_record(person=person, actor=hr, data=data, evidence=evidence()),
                            actor=reviewer)


def _facts(eligible, required_years, applied) -> dict:
    return {"eligible": eligible, "required_years": list(required_years), "applied": sorted(applied)}


def page_verdict(client, user, case: Case) -> dict:
    client.force_login(user)
    response = client.get(reverse("ledger:my_hours"))
    found = [x for x in response.context["verdicts"] if (x.review.kind, x.review.level) == (case.kind, case.level)]
    assert found, f"the professional's page shows no {case.kind}/{case.level} verdict"
    x = found[0]
    assert x.verdict is not None, x.error
    expected_text = "继续教育学时符合要求" if x.verdict.eligible else "继续教育学时未达到要求"
    assert expected_text in response.content.decode()
    return {"rules": x.rules_code, **_facts(x.verdict.eligible, x.verdict.required_years, x.verdict.applied)}


def card_verdict(person, user, case: Case) -> dict | None:
    """Audit cards serve title review: the title card for senior, the year card for junior."""
    scopes = {"senior": "title", "junior": "year"}
    if case.kind != "title_review" or case.level not in scopes:
        return None
    card = card_issue(person=person, year=int(case.day[:4]), scope=scopes[case.level], actor=user)
    v = card.snapshot["verdict"]
    return {"rules": v["rules"], **_facts(v["eligible"], v["required_years"], [])}


def batch_verdict(person, number: str, case: Case) -> dict:
    applicant = batch.Applicant(row=2, name=person.name, id_number=number, kind=case.kind, level=case.level,
                                day=dt.date.fromisoformat(case.day))
    [row] = batch.batch_evaluate(applicants=[applicant], persons_qs=Person.objects.all())
    assert row["known"] and row["eligible"] is not None, row["error"]
    return {"rules": row["rules"], **_facts(row["eligible"], row["required_years"], row["applied"])}


@pytest.mark.parametrize("case", list(_params()))
def test_the_ledger_gives_the_commands_verdict(case: Case, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    review_day = dt.datetime.fromisoformat(case.day + "T10:00:00+08:00")
    with time_machine.travel(review_day, tick=False):
        person, number, hr, reviewer, user, bureau = _people(case)
        expected = command_verdict(case, number, tmp_path)
        want = {"rules": expected["rules"], **_facts(expected["eligible"], expected["required_years"],
                                                     expected["applied"])}
        _record(case, person, hr, reviewer, bureau)
        assert page_verdict(client, user, case) == want
        assert batch_verdict(person, number, case) == want
        card = card_verdict(person, user, case)
        if card is not None:
            assert card == {**want, "applied": []}

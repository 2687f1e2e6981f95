"""Plain helpers (no tests) shared by tests/rules/test_card*.py, test_eligibility_web.py and test_ledger_source.py:
persons and ledger rows written straight to the append-only ledger."""

from __future__ import annotations

import datetime as dt

from accounts.models import Role
from ledger.models import HourEntry, Person, PersonFlag
from tests.factories import UserFactory
from tests.ledger.support import id_number


def make_person(seq: int = 1, *, name: str = "巴特尔", birth: str = "19850315", male: bool = True,
                user=None, employer: str = "赤峰市医院") -> Person:
    number = id_number(seq, birth=birth, male=male)
    born = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    return Person.objects.create(id_number=number, name=name, sex="M" if male else "F", birth_date=born,
                                 employer=employer, user=user)


def credit(person: Person, year: int, subject: str, hours: int, authority, *, source: str = "training") -> HourEntry:
    return HourEntry.objects.create(person=person, year=year, subject=subject, source=source, hours=hours,
                                    authority=authority)


def reverse_credit(entry: HourEntry) -> HourEntry:
    return HourEntry.objects.create(
        person=entry.person, year=entry.year, subject=entry.subject, source=entry.source, hours=-entry.hours,
        kind=HourEntry.Kind.REVERSAL, reverses=entry, authority=entry.authority, reason="更正",
    )


def full_years(person: Person, authority, *years: int) -> list[HourEntry]:
    return [entry for year in years for entry in (
        credit(person, year, "public", 30, authority), credit(person, year, "professional", 60, authority))]


def flag(person: Person, code: str, recorded_by, *, year: int | None = None, post_start_year: int | None = None):
    return PersonFlag.objects.create(person=person, code=code, year=year, post_start_year=post_start_year,
                                     evidence="调令", recorded_by=recorded_by)


def title_office_user(organisation):
    return UserFactory(username="title_office", role=Role.TITLE_OFFICE, organisation=organisation)


def professional_user(username: str):
    return UserFactory(username=username, role=Role.PROFESSIONAL, organisation=None)

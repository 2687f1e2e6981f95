"""The one writer of the ledger: Person rows, HourEntry credits and reversals, PersonFlag rows.

Nothing outside `ledger/` creates these rows (tests/ledger/test_one_writer.py scans the source).
Callers open the transaction and write their own audit row for the business step (certification,
violation, amendment, approval); these functions only append.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from common.bulk import insert_rows
from common.queries import in_values
from ledger.models import HourEntry, Person, PersonFlag
from rules.idnumber import parse_id_number


@dataclass(frozen=True)
class PersonData:
    """Who a person is, as a roster row or a spreadsheet row gives it; birth date and sex come from the ID."""

    id_number: str
    name: str
    employer: str = ""
    label: str = ""  # how an error names the row, e.g. "第 3 号 张三"


@dataclass(frozen=True)
class Credit:
    """One ledger credit to append (`person`: the Person, or its id)."""

    person: Person | int
    year: int
    subject: str
    source: str
    hours: int
    authority_id: int
    reason: str = ""
    plan_id: int | None = None
    roster_entry_id: int | None = None


def _fields(data: PersonData) -> dict:
    try:
        birth_date, sex = parse_id_number(data.id_number)
    except ValueError as error:
        raise ValidationError(f"{data.label or data.name}：{error}") from None
    return {"name": data.name, "sex": sex, "birth_date": birth_date, "employer": data.employer}


def person_ids_ensure(*, people: Iterable[PersonData], employer_organisation=None) -> dict[str, int]:
    """Find or create each person by ID number; returns ID number → person id (the cheap form of
    `persons_ensure`, for certifying tens of thousands of trainees at once).

    New persons take the employer organisation when one is given; existing persons keep theirs; one created
    meanwhile by a concurrent transaction is found, not duplicated (the unique ID number decides).
    """
    people = list(people)
    found = _person_ids([p.id_number for p in people])
    new: dict[str, tuple] = {}
    for data in people:
        if data.id_number not in found and data.id_number not in new:
            fields = _fields(data)
            new[data.id_number] = (data.id_number, fields["name"], fields["sex"], fields["birth_date"],
                                   fields["employer"], getattr(employer_organisation, "pk", None))
    if new:
        _persons_insert(list(new.values()))
        found.update(_person_ids(list(new)))
    return found


def _person_ids(numbers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in in_values(Person.objects.all(), "id_number", numbers):
        found.update(chunk.values_list("id_number", "pk"))
    return found


def _persons_insert(rows: list[tuple]) -> None:
    """New Person rows, skipping any ID number that exists by now: on PostgreSQL one INSERT … SELECT of
    arrays (no per-object work), elsewhere bulk_create."""
    if connection.vendor != "postgresql":
        fields = ("id_number", "name", "sex", "birth_date", "employer", "employer_organisation_id")
        Person.objects.bulk_create([Person(**dict(zip(fields, row, strict=True))) for row in rows],
                                   ignore_conflicts=True, batch_size=2000)
        return
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Person._meta.db_table)} "
            "(id_number, name, sex, birth_date, employer, employer_organisation_id) "
            "SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::date[], %s::varchar[], "
            "%s::bigint[]) ON CONFLICT (id_number) DO NOTHING", [list(c) for c in columns])


def persons_ensure(*, people: Iterable[PersonData], employer_organisation=None) -> dict[str, Person]:
    """Find or create each person by ID number; returns ID number → Person.

    New persons take the employer organisation when one is given; existing persons keep theirs.
    """
    ids = person_ids_ensure(people=people, employer_organisation=employer_organisation)
    by_pk = Person.objects.in_bulk(list(ids.values()))
    return {number: by_pk[pk] for number, pk in ids.items()}


def person_link_employer(*, person: Person, organisation) -> Person:
    """Link a person with no employer organisation yet to `organisation` (its HR then acts for them)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.employer_organisation_id not in (None, organisation.pk):
        raise ValidationError(f"{person.name} 已关联其他单位，不能由本单位办理。")
    if person.employer_organisation_id is None:
        person.employer_organisation = organisation
        if not person.employer:
            person.employer = organisation.name[:100]
        person.save(update_fields=["employer_organisation", "employer"])
    return person


ENTRY_FIELDS = ("person", "year", "subject", "source", "hours", "kind", "plan", "roster_entry", "authority",
                "reason", "created_by", "created_at")


def _entry_values(credit: Credit, actor: User | None, now) -> tuple:
    person_id = credit.person if isinstance(credit.person, int) else credit.person.pk
    return (person_id, credit.year, credit.subject, credit.source, credit.hours, HourEntry.Kind.CREDIT,
            credit.plan_id, credit.roster_entry_id, credit.authority_id, credit.reason[:300],
            getattr(actor, "pk", None), now)


def hour_entries_credit(*, credits: Iterable[Credit], actor: User | None) -> list[HourEntry]:
    """Append credit rows (one COPY or INSERT for many); returns them with their ids."""
    now = timezone.now()
    credits = list(credits)
    if any(credit.hours < 0 for credit in credits):
        raise ValidationError("核定学时不能为负数。")
    values = [_entry_values(credit, actor, now) for credit in credits]
    ids = insert_rows(HourEntry, ENTRY_FIELDS, values)
    attnames = [HourEntry._meta.get_field(name).attname for name in ENTRY_FIELDS]
    return [HourEntry(id=pk, **dict(zip(attnames, row, strict=True))) for pk, row in zip(ids, values, strict=True)]


def _append(rows: list[HourEntry]) -> list[HourEntry]:
    try:
        with transaction.atomic():
            for row in rows:
                row.save()
    except IntegrityError:
        raise ValidationError("该学时记录已被冲销，不能重复冲销。") from None
    return rows


def _reversal(entry: HourEntry, actor: User | None, reason: str, authority_id: int | None) -> HourEntry:
    if entry.kind != HourEntry.Kind.CREDIT:
        raise ValidationError("冲销记录本身不能再冲销。")
    return HourEntry(
        person_id=entry.person_id, year=entry.year, subject=entry.subject, source=entry.source, plan_id=entry.plan_id,
        roster_entry_id=entry.roster_entry_id, authority_id=authority_id or entry.authority_id,
        kind=HourEntry.Kind.REVERSAL, hours=-entry.hours, reverses=entry, reason=reason[:300], created_by=actor,
    )


def hour_entries_reverse(*, entries: Iterable[HourEntry], actor: User | None, reason: str,
                         authority_id: int | None = None) -> list[HourEntry]:
    """Append the reversal of each entry (its negative, pointing at it); a second reversal is refused."""
    return _append([_reversal(entry, actor, reason, authority_id) for entry in entries])


def hour_entry_correct(*, entry: HourEntry, actor: User, reason: str, new_hours: int) -> list[HourEntry]:
    """Reverse `entry` and, when `new_hours` > 0, append a credit like it with the corrected hours."""
    rows = [_reversal(entry, actor, f"冲销：{reason}", None)]
    if new_hours > 0:
        rows.append(HourEntry(
            person_id=entry.person_id, year=entry.year, subject=entry.subject, source=entry.source,
            plan_id=entry.plan_id, roster_entry_id=entry.roster_entry_id, authority_id=entry.authority_id,
            kind=HourEntry.Kind.CREDIT, hours=new_hours, reason=f"更正：{reason}"[:300], created_by=actor,
        ))
    return _append(rows)


def person_flag_record(*, person: Person, code: str, actor: User, evidence: str, year: int | None = None,
                       post_start_year: int | None = None, effective_from: date | None = None,
                       effective_to: date | None = None) -> PersonFlag:
    """Append a circumstance that counts from now on (the engine reads PersonFlag rows)."""
    if code not in PersonFlag.Code.values:
        raise ValidationError({"code": f"未知的减免情形“{code}”。"})
    return PersonFlag.objects.create(
        person=person, code=code, year=year, post_start_year=post_start_year, evidence=evidence[:300],
        effective_from=effective_from, effective_to=effective_to, recorded_by=actor,
    )

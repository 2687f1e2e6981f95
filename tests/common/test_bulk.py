"""Many rows at once: COPY on PostgreSQL (ids drawn from the sequence first), bulk_create elsewhere; the same
rows and ids either way, and the ledger's writers built on it."""

import datetime as dt

import pytest
from django.db import connection

from common import bulk
from ledger import services as ledger_services
from ledger.models import HourEntry, Person
from rules.idnumber import check_character

pytestmark = pytest.mark.django_db


def id_number(n: int) -> str:
    """The n-th of thousands of distinct valid ID numbers (one per birth day)."""
    first17 = f"150404{dt.date(1970, 1, 1) + dt.timedelta(days=n):%Y%m%d}001"
    return first17 + check_character(first17)


def _people(count: int, start: int = 1) -> list[ledger_services.PersonData]:
    return [ledger_services.PersonData(id_number(n), f"学员{n}", "松山区医院") for n in range(start, start + count)]


@pytest.mark.parametrize("count", [3, bulk.COPY_FROM + 5])
def test_it_returns_the_ids_of_the_rows_in_their_order(count, chifeng_bureau):
    ids = ledger_services.person_ids_ensure(people=_people(count))
    person_ids = [ids[id_number(n)] for n in range(1, count + 1)]
    rows = [(pid, 2026, "public", "training", n % 7, "credit", chifeng_bureau.pk, f"第{n}行",
             dt.datetime(2026, 3, 1, tzinfo=dt.UTC)) for n, pid in enumerate(person_ids)]
    fields = ("person", "year", "subject", "source", "hours", "kind", "authority", "reason", "created_at")
    new_ids = bulk.insert_rows(HourEntry, fields, rows)
    stored = dict(HourEntry.objects.values_list("pk", "reason"))
    assert len(new_ids) == count == len(stored) and [stored[pk] for pk in new_ids] == [r[7] for r in rows]
    assert HourEntry.objects.get(pk=new_ids[-1]).person_id == person_ids[-1]


def test_the_next_ordinary_insert_takes_a_fresh_id_after_a_copy(chifeng_bureau):
    ids = ledger_services.person_ids_ensure(people=_people(bulk.COPY_FROM))
    copied = bulk.insert_rows(HourEntry, ("person", "year", "subject", "hours", "authority", "created_at"),
                              [(pid, 2026, "public", 1, chifeng_bureau.pk, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
                               for pid in ids.values()])
    single = HourEntry.objects.create(person_id=next(iter(ids.values())), year=2026, subject="public", hours=1,
                                      authority=chifeng_bureau)
    assert single.pk not in copied and single.pk > max(copied)


def test_existing_persons_are_found_not_duplicated_and_keep_their_employer(chifeng_bureau):
    first = ledger_services.person_ids_ensure(people=_people(3), employer_organisation=chifeng_bureau)
    again = ledger_services.person_ids_ensure(people=_people(5))
    assert {k: again[k] for k in first} == first and Person.objects.count() == 5
    assert Person.objects.get(pk=first[id_number(1)]).employer_organisation == chifeng_bureau
    assert Person.objects.get(pk=again[id_number(5)]).employer_organisation is None


def test_a_malformed_id_number_names_the_row_and_writes_nothing():
    people = [*_people(2), ledger_services.PersonData("150404198001010000", "错号", label="第 3 号 错号")]
    with pytest.raises(Exception, match="第 3 号 错号"):
        ledger_services.person_ids_ensure(people=people)
    assert not Person.objects.exists()


def test_it_copies_on_postgresql_and_inserts_elsewhere(monkeypatch, chifeng_bureau):
    calls = []
    monkeypatch.setattr(HourEntry.objects, "bulk_create", lambda objs, **kw: calls.append(len(objs)) or objs)
    ids = ledger_services.person_ids_ensure(people=_people(bulk.COPY_FROM))
    bulk.insert_rows(HourEntry, ("person", "year", "subject", "hours", "authority", "created_at"),
                     [(pid, 2026, "public", 1, chifeng_bureau.pk, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
                      for pid in ids.values()])
    assert calls == ([] if connection.vendor == "postgresql" else [bulk.COPY_FROM])

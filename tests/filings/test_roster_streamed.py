"""A roster stored while it is checked: batch by batch, still all or nothing, with the reference's entries and errors."""

import pytest

from filings.roster import checks, services
from filings.roster.reader import read_roster
from filings.roster.services import roster_import
from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import make_id, person, roster_bytes

pytestmark = pytest.mark.django_db
report_plan = support.report_plan
FIELDS = checks.FIELDS


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)


def run(plan, rows, **kwargs):
    return roster_import(plan=plan, content=roster_bytes(plan, rows), **kwargs)


def reference(plan, rows) -> tuple[list[tuple], list[dict]]:
    """What RowChecker makes of the same workbook, row by row."""
    sheet = read_roster(roster_bytes(plan, rows))
    checker, entries, errors = checks.RowChecker(plan, sheet.positions), [], []
    for seq, (row, values) in enumerate(sheet.rows, start=1):
        entry, row_errors = checker.check(row, values, seq=seq)
        errors += row_errors
        entries.append(entry)
    return entries, errors


def stored(plan) -> list[tuple]:
    return list(plan.roster.order_by("seq").values_list(*FIELDS))


def test_a_roster_of_several_batches_is_stored_as_the_row_checker_reads_it(report_plan):
    rows = [person(n, note=f"第{n}行") for n in range(1, 11)]  # four batches of 3, 3, 3 and 1
    calls = []
    outcome = run(report_plan, rows, progress=lambda *a: calls.append(a))
    entries, errors = reference(report_plan, rows)
    assert errors == []
    assert outcome.status == "imported" and outcome.total_rows == 10
    assert stored(report_plan) == entries
    assert [entry[0] for entry in entries] == list(range(1, 11))
    assert calls == [(10, 10)]


def test_an_error_in_a_later_batch_stores_nothing_and_is_worded_like_the_reference(report_plan):
    good = [person(n) for n in range(1, 8)]
    assert run(report_plan, good).status == "imported"
    before = stored(report_plan)
    bad = [person(n, phone="13900000000") for n in range(1, 8)] + [person(8, hours=25), person(9)]
    outcome = run(report_plan, bad)
    assert outcome.status == "failed"
    assert outcome.errors == reference(report_plan, bad)[1]
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(12, "学时")]
    assert stored(report_plan) == before  # the batches already written were rolled back


def test_an_error_in_the_last_batch_of_a_first_import_leaves_no_rows(report_plan):
    rows = [person(n) for n in range(1, 7)] + [person(7, name="")]
    outcome = run(report_plan, rows)
    assert outcome.status == "failed" and [(e["row"], e["column"]) for e in outcome.errors] == [(11, "姓名")]
    assert not report_plan.roster.exists()


def test_the_same_person_in_two_batches_is_named_with_both_rows(report_plan):
    rows = [person(n) for n in range(1, 9)] + [person(9, id_number=make_id(2, male=False), sex="女")]
    outcome = run(report_plan, rows)
    assert outcome.status == "failed"
    assert [e["message"] for e in outcome.errors] == ["与第6行是同一人（身份证号码重复），同一人只能登记一次。"]
    assert not report_plan.roster.exists()


def test_a_valid_row_the_column_check_cannot_vouch_for_is_still_imported(report_plan):
    """Hours typed as text beside hours typed as numbers: the batch goes to RowChecker, which accepts it."""
    rows = [person(n) for n in range(1, 7)] + [person(7, hours="8"), person(8)]
    sheet = read_roster(roster_bytes(report_plan, rows))
    assert checks.clean_entries(report_plan, sheet.positions, sheet.rows) is None
    outcome = run(report_plan, rows)
    assert outcome.status == "imported"
    assert stored(report_plan) == reference(report_plan, rows)[0]
    assert report_plan.roster.get(seq=7).hours == 8


def test_a_dry_run_and_a_roster_over_the_headcount_store_nothing(report_plan):
    rows = [person(n) for n in range(1, 5)]
    assert run(report_plan, rows, dry_run=True).status == services.CHECKED
    report_plan.planned_headcount = 3
    report_plan.save(update_fields=["planned_headcount"])
    assert run(report_plan, rows).status == "needs_confirmation"
    assert not report_plan.roster.exists()
    outcome = run(report_plan, rows, confirmed=True)
    assert outcome.status == "imported" and len(outcome.warnings) == 1
    assert stored(report_plan) == reference(report_plan, rows)[0]


def test_errors_in_several_batches_are_worded_as_the_row_checker_words_them(report_plan):
    rows = [person(n) for n in range(1, 5)] + [person(5, sex="男", male=False), person(6, hours=0)]
    errors = reference(report_plan, rows)[1]
    assert [(e["row"], e["column"]) for e in errors] == [(9, "性别"), (10, "学时")]
    assert run(report_plan, rows).errors == errors


def test_each_batch_is_written_before_the_next_is_checked_and_the_row_checker_is_not_needed(report_plan, monkeypatch):
    from django.db import connection

    from filings.models import RosterEntry

    events = []

    def spy(name, function):
        def wrapped(*args, **kwargs):
            events.append(name)
            return function(*args, **kwargs)
        return wrapped

    def no_row_checker(*args):
        raise AssertionError("a clean roster is not checked row by row")

    monkeypatch.setattr(checks, "clean_entries", spy("check", checks.clean_entries))
    monkeypatch.setattr(services, "RowChecker", no_row_checker)
    if connection.vendor == "postgresql":
        monkeypatch.setattr(services, "_copy_text", spy("write", services._copy_text))
    else:
        monkeypatch.setattr(RosterEntry.objects, "bulk_create", spy("write", RosterEntry.objects.bulk_create))
    assert run(report_plan, [person(n) for n in range(1, 8)]).status == "imported"
    assert events == ["check", "write"] * 3

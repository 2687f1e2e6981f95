"""The column-wise check (clean_entries) against RowChecker, and the PostgreSQL write paths (COPY, merge)."""

import pytest

from filings.models import RosterEntry
from filings.roster import checks
from filings.roster.reader import read_roster
from filings.roster.services import roster_import
from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import make_id, person, roster_bytes

pytestmark = pytest.mark.django_db
report_plan = support.report_plan


def both_paths(plan, rows):
    """(clean_entries, RowChecker's entries and errors) for the same workbook."""
    sheet = read_roster(roster_bytes(plan, rows))
    checker = checks.RowChecker(plan, sheet.positions)
    entries, errors = [], []
    for seq, (row, values) in enumerate(sheet.rows, start=1):
        entry, row_errors = checker.check(row, values, seq=seq)
        errors += row_errors
        entries.append(entry)
    return checks.clean_entries(plan, sheet.positions, sheet.rows), entries, errors


def x_number():
    return next(n for n in range(1, 400) if make_id(n).endswith("X"))


CLEAN_SHEETS = {
    "plain": [person(n) for n in range(1, 30)],
    "blanks at the edges and a note": [person(1, name=" 学员1 ", phone=" 13800000000", note="补录 ")] + [person(2)],
    "full-width digits and a lower-case x": [
        person(1, id_number=make_id(x_number())[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x",
               male=int(make_id(x_number())[16]) % 2 == 1, sex="男" if int(make_id(x_number())[16]) % 2 else "女"),
        person(2)],
    "hours typed as text": [person(1, hours="24"), person(2, hours="８")],
    "short subject label": [person(1, subject="专业"), person(2)],
    "no sequence numbers": [person(1, seq=None), person(2, seq=None)],
    "exam results": [person(1, exam="合格"), person(2, exam="不合格"), person(3, exam=" 合格 ")],
}


@pytest.mark.parametrize("rows", CLEAN_SHEETS.values(), ids=CLEAN_SHEETS.keys())
def test_a_clean_sheet_gives_exactly_the_entries_of_the_row_checker(report_plan, rows):
    fast, reference, errors = both_paths(report_plan, rows)
    assert errors == []
    assert fast == reference and len(fast) == len(rows)


BAD_SHEETS = {
    "a blank name": [person(1), person(2, name="")],
    "a name too long": [person(1, name="名" * 41)],
    "a bad check character": [person(1, id_number=make_id(1)[:17] + ("0" if make_id(1)[17] != "0" else "1"))],
    "an impossible birth date": [person(1, id_number=make_id(1, birth="19851312"))],
    "the same person twice": [person(1), person(2, id_number=make_id(1))],
    "an ID typed as a number": [person(1, id_number=150404198506120031)],
    "a sex against the ID": [person(1, male=True, sex="女")],
    "another subject": [person(1, subject="公需科目")],
    "too many hours": [person(1, hours=25)],
    "fractional hours": [person(1, hours=2.5)],
    "zero hours": [person(1, hours=0)],
    "an unknown exam result": [person(1, exam="优秀")],
}


@pytest.mark.parametrize("rows", BAD_SHEETS.values(), ids=BAD_SHEETS.keys())
def test_a_sheet_with_any_error_is_left_to_the_row_checker(report_plan, rows):
    fast, _reference, errors = both_paths(report_plan, rows)
    assert errors and fast is None
    assert roster_import(plan=report_plan, content=roster_bytes(report_plan, rows)).errors == errors


def test_progress_is_reported_once_the_whole_sheet_is_checked(report_plan):
    calls = []
    roster_import(plan=report_plan, content=roster_bytes(report_plan, [person(1), person(2)]),
                  progress=lambda *a: calls.append(a))
    assert calls == [(2, 2)]


def stored(plan):
    return list(plan.roster.order_by("seq").values_list(
        "seq", "name", "sex", "id_number", "employer", "hours", "phone", "note", "anomaly", "certified_hours",
        "adjustment_reason"))


@pytest.mark.postgres
def test_copy_carries_exam_results_yes_no_and_blank(report_plan):
    rows = [person(1, exam="合格"), person(2, exam="不合格"), person(3)]
    assert roster_import(plan=report_plan, content=roster_bytes(report_plan, rows)).status == "imported"
    assert list(report_plan.roster.order_by("seq").values_list("exam_passed", flat=True)) == [True, False, None]
    rows = [person(1), person(2, exam="合格"), person(3, exam="不合格")]
    assert roster_import(plan=report_plan, content=roster_bytes(report_plan, rows)).status == "imported"
    assert list(report_plan.roster.order_by("seq").values_list("exam_passed", flat=True)) == [None, True, False]


@pytest.mark.postgres
def test_copy_carries_tabs_newlines_and_backslashes(report_plan):
    note = "第一行\n第二行\t制表\\反斜杠"
    assert roster_import(plan=report_plan, content=roster_bytes(report_plan, [person(1, note=note)])).status == "imported"
    assert report_plan.roster.get().note == note


@pytest.mark.postgres
def test_a_reimport_keeps_the_unchanged_rewrites_the_changed_adds_and_removes(report_plan):
    first = [person(n) for n in range(1, 6)]
    roster_import(plan=report_plan, content=roster_bytes(report_plan, first))
    kept_id = report_plan.roster.get(seq=1).pk
    RosterEntry.objects.filter(plan=report_plan, seq=2).update(certified_hours=20, adjustment_reason="旧的调整")
    second = [person(1), person(2), person(3, phone="13900000000"), person(6), person(5, note="改")]
    outcome = roster_import(plan=report_plan, content=roster_bytes(report_plan, second))
    assert outcome.status == "imported"
    assert report_plan.roster.get(seq=1).pk == kept_id
    assert stored(report_plan) == [
        (1, "学员1", "M", make_id(1), "赤峰市医院", 24, "13800000000", "", "", None, ""),
        (2, "学员2", "F", make_id(2, male=False), "赤峰市医院", 24, "13800000000", "", "", None, ""),
        (3, "学员3", "M", make_id(3), "赤峰市医院", 24, "13900000000", "", "", None, ""),
        (4, "学员6", "F", make_id(6, male=False), "赤峰市医院", 24, "13800000000", "", "", None, ""),
        (5, "学员5", "M", make_id(5), "赤峰市医院", 24, "13800000000", "改", "", None, ""),
    ]


@pytest.mark.postgres
def test_a_reimport_joins_by_hash_even_when_the_statistics_predate_the_first_import(report_plan):
    """An import followed by a corrected one: the table was analysed before the plan had rows, so the planner
    expects one row and, left alone, rescans the temporary table once per roster row (minutes at 50,000)."""
    from django.db import connection

    rows = [person(n) for n in range(1, 61)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE filings_rosterentry")
    assert roster_import(plan=report_plan, content=roster_bytes(report_plan, rows)).status == "imported"
    plans = []

    def explain_merge(execute, sql, params, many, context):
        if sql.startswith(('DELETE FROM "filings_rosterentry" r', 'UPDATE "filings_rosterentry" r',
                           'INSERT INTO "filings_rosterentry" (plan_id')):
            context["cursor"].execute("EXPLAIN " + sql, params)
            plans.append("\n".join(line for line, in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_merge):
        corrected = [*rows[:30], person(99), *rows[31:]]
        assert roster_import(plan=report_plan, content=roster_bytes(report_plan, corrected)).status == "imported"
    assert len(plans) == 3
    assert not any("Nested Loop" in plan for plan in plans), plans
    assert report_plan.roster.count() == 60 and report_plan.roster.filter(name="学员99").exists()
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_nestloop")
        assert cursor.fetchone() == ("on",)  # for these three statements only


def random_rows(rng, count: int, *, start: int = 0) -> list[tuple]:
    """Rows in FIELDS order whose texts hold what COPY's text format must escape (and Chinese, and blanks); each
    text column has its own few special characters, so that each is sometimes the only one in its column."""
    specials = ["\t", "\n", "\r", "\\", "\\N", "'", '"', "＼", "é"]
    own = [["学员", "a", " ", "", *rng.sample(specials, rng.randint(0, 2))] for _ in range(6)]

    def text(column, limit):
        return "".join(rng.choice(own[column]) for _ in range(rng.randint(0, 6)))[:limit]

    return [(n + 1, text(0, 40), rng.choice("MF"), make_id(start + n), text(1, 100), text(2, 60), text(3, 60),
             "professional", rng.randint(1, 24), text(4, 20), text(5, 200), rng.choice([True, False, None]))
            for n in range(count)]


@pytest.mark.postgres
@pytest.mark.parametrize("seed", range(8))
def test_copy_and_merge_store_exactly_the_rows_given(report_plan, seed):
    import random

    from filings.roster.checks import FIELDS
    from filings.roster.services import roster_replace

    rng = random.Random(seed)
    fields = (*FIELDS, "anomaly")
    first = random_rows(rng, 300)
    anomalies = {row[3]: f"同期\t{row[0]}" for row in first[::7]}
    roster_replace(plan=report_plan, rows=first, anomalies=anomalies)
    assert list(report_plan.roster.order_by("seq").values_list(*fields)) == [
        (*row, anomalies.get(row[3], "")) for row in first]
    second = random_rows(rng, 250, start=150)  # half the people again, half new, 150 gone
    roster_replace(plan=report_plan, rows=second, anomalies={})
    assert list(report_plan.roster.order_by("seq").values_list(*fields)) == [(*row, "") for row in second]


@pytest.mark.postgres
def test_a_nul_in_a_text_is_refused_by_copy_and_nothing_is_stored(report_plan):
    """A NUL can come through the API's JSON; COPY cannot carry it: psycopg refuses the row, all or nothing."""
    import random

    import psycopg

    from filings.roster import services

    rows = random_rows(random.Random(1), 60)
    rows[40] = (*rows[40][:10], "备注\x00", rows[40][11])
    with pytest.raises(psycopg.DataError, match="NUL"):
        services.roster_replace(plan=report_plan, rows=rows)
    assert not report_plan.roster.exists()

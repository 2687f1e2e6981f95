"""roster_import: the one import behind the web upload (via a Celery task) and the import_roster command.

All or nothing: every row is checked and every error reported; rows are stored only when none has an error,
replacing the plan's previous roster in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import User
from common.memory import cyclic_gc_paused
from filings.models import PlanState, RosterEntry, RosterUpload, TrainingPlan
from filings.permissions import is_plan_organiser, require_plan_organiser
from filings.risk_facts import plan_risk_facts_refresh
from filings.roster.checks import (
    FIELDS,
    NotClean,
    RowChecker,
    clean_batches,
    clean_entries,
    error,
    sheet_errors,
    sheet_ids,
)
from filings.roster.columns import COLUMNS, ROSTER_LIMITS
from filings.roster.overlap import overlap_anomalies
from filings.roster.reader import RosterSheet, read_roster
from sheets.guard import check_workbook_bytes

UPLOAD_STATES = (PlanState.AWAITING_REPORT, PlanState.REPORT_RETURNED)
PROGRESS_EVERY = 5000
BATCH_SIZE = 2000
ID_AT = FIELDS.index("id_number")
CHECKED = "checked"  # dry run: no errors, nothing stored
Status = RosterUpload.Status


@dataclass
class RosterOutcome:
    status: str
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    total_rows: int = 0
    anomalies: int = 0


def can_upload_roster(plan: TrainingPlan, user: User) -> bool:
    return is_plan_organiser(user, plan) and plan.state in UPLOAD_STATES


def require_upload_allowed(plan: TrainingPlan, actor: User) -> None:
    require_plan_organiser(actor, plan, message="只有本计划培训组织单位的经办人可以上传花名册。")
    if plan.state not in UPLOAD_STATES:
        raise ValidationError(f"计划当前状态为“{plan.get_state_display()}”，不能上传花名册"
                              "（培训结束后、提交培训情况报告前可以上传）。")


def roster_read_guarded(content: bytes):
    """The upload guard first (nothing is parsed before it passes), then the sheet's cells."""
    check_workbook_bytes(content, ROSTER_LIMITS)
    return read_roster(content)


def rows_check(*, plan: TrainingPlan, sheet: RosterSheet,
               progress: Callable[[int, int], None] | None = None) -> tuple[list[tuple], list[dict], int]:
    """Rows in (a workbook's or the API's JSON rows), checked entries out: a clean sheet is checked column by column in one pass; a sheet with any
    problem goes through RowChecker, row by row, which finds and words every error."""
    errors = sheet_errors(plan, sheet)
    if sheet.missing:
        return [], errors, len(sheet.rows)
    total = len(sheet.rows)
    entries = None if errors else clean_entries(plan, sheet.positions, sheet.rows)
    if entries is not None:
        if progress:
            progress(total, total)
        return entries, errors, total
    checker, entries = RowChecker(plan, sheet.positions), []
    for index, (row, values) in enumerate(sheet.rows, start=1):
        entry, row_errors = checker.check(row, values, seq=index)
        errors.extend(row_errors)
        if entry is not None and not errors:
            entries.append(entry)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, total)
    if progress:
        progress(total, total)
    return entries, errors, total


def sheet_from_rows(rows: list[dict]) -> RosterSheet:
    """JSON rows (the API) as a sheet: one value per column key, row numbers 1-based in list order."""
    keys = [column.key for column in COLUMNS]
    return RosterSheet(header_row=0, positions={key: at for at, key in enumerate(keys)},
                       rows=[(number, [row.get(key) for key in keys]) for number, row in enumerate(rows, start=1)])


def _headcount_warning(plan: TrainingPlan, count: int) -> list[dict]:
    if count <= plan.planned_headcount:
        return []
    return [error(None, "", f"花名册共 {count} 人，超过计划人数 {plan.planned_headcount} 人"
                           f"（多 {count - plan.planned_headcount} 人）。请核实无误后确认导入。")]


def roster_import(*, plan: TrainingPlan, content: bytes, confirmed: bool = False, dry_run: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> RosterOutcome:
    """1. check every row; 2. stop on any error; 3. warn on headcount; 4. flag overlaps; 5. replace the roster."""
    with cyclic_gc_paused():  # hundreds of thousands of acyclic cells
        try:
            sheet = roster_read_guarded(content)
        except ValidationError as problem:
            return RosterOutcome(Status.FAILED, errors=[error(None, "", message) for message in problem.messages])
        return sheet_import(plan=plan, sheet=sheet, confirmed=confirmed, dry_run=dry_run, progress=progress)


def roster_import_rows(*, plan: TrainingPlan, rows: list[dict], confirmed: bool = False,
                       dry_run: bool = False) -> RosterOutcome:
    """The API's entry: rows as dicts by column key instead of a workbook; the same checks and commit."""
    return sheet_import(plan=plan, sheet=sheet_from_rows(rows), confirmed=confirmed, dry_run=dry_run)


def sheet_import(*, plan: TrainingPlan, sheet: RosterSheet, confirmed: bool = False, dry_run: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> RosterOutcome:
    """A roster that will be stored if it is clean is checked batch by batch while the batches already checked
    are written (_streamed_import); any other (a dry run, one that needs confirming, one with a row the
    column-wise check cannot vouch for) is checked whole first, and every error worded, by rows_check."""
    if not dry_run and (confirmed or len(sheet.rows) <= plan.planned_headcount):
        outcome = _streamed_import(plan, sheet, progress)
        if outcome is not None:
            return outcome
    entries, errors, total = rows_check(plan=plan, sheet=sheet, progress=progress)
    return roster_commit(plan=plan, entries=entries, errors=errors, total=total, confirmed=confirmed,
                         dry_run=dry_run)


def _streamed_import(plan: TrainingPlan, sheet: RosterSheet,
                     progress: Callable[[int, int], None] | None) -> RosterOutcome | None:
    """Store a clean sheet while checking it: its ID numbers are checked whole (they are needed for the overlap
    query before the first row is written), then each batch of rows is checked and handed to the store, which
    writes it while the next one is checked. None, with nothing stored, when the sheet may have an error."""
    ids = None if sheet_errors(plan, sheet) else sheet_ids(sheet)
    if ids is None:
        return None
    anomalies = overlap_anomalies(plan, ids[0])
    try:
        total = roster_replace(plan=plan, batches=clean_batches(plan, sheet, ids, BATCH_SIZE), anomalies=anomalies)
    except NotClean:  # the store's transaction is rolled back: nothing of it remains
        return None
    if progress:
        progress(total, total)
    return RosterOutcome(Status.IMPORTED, warnings=_headcount_warning(plan, total), total_rows=total,
                         anomalies=len(anomalies))


def roster_commit(*, plan: TrainingPlan, entries: list[tuple], errors: list[dict], total: int,
                  confirmed: bool = False, dry_run: bool = False) -> RosterOutcome:
    if errors:
        return RosterOutcome(Status.FAILED, errors=errors, total_rows=total)
    warnings = _headcount_warning(plan, len(entries))
    if warnings and not confirmed:
        return RosterOutcome(Status.NEEDS_CONFIRMATION, warnings=warnings, total_rows=len(entries))
    anomalies = overlap_anomalies(plan, [row[ID_AT] for row in entries])
    outcome = RosterOutcome(CHECKED if dry_run else Status.IMPORTED, warnings=warnings,
                            total_rows=len(entries), anomalies=len(anomalies))
    if not dry_run:
        roster_replace(plan=plan, rows=entries, anomalies=anomalies)
    return outcome


@transaction.atomic
def roster_replace(*, plan: TrainingPlan, rows: list[tuple] = (), batches: Iterable[list[tuple]] | None = None,
                   anomalies: dict[str, str] | None = None) -> int:
    """Lock the plan, re-check its state, and swap its roster rows for the new ones: `rows` (tuples in FIELDS
    order), or `batches` of them, each written as it comes (a generator may still be checking the next). An
    exception from the batches rolls everything back. Returns the number of rows stored."""
    locked = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.state not in UPLOAD_STATES:
        raise ValidationError(f"计划当前状态为“{locked.get_state_display()}”，不能再导入花名册。")
    anomalies = anomalies or {}
    batches = [rows] if batches is None else batches
    if connection.vendor == "postgresql":
        if RosterEntry.objects.filter(plan_id=locked.pk).exists():
            count = _merge_rows(locked.pk, batches, anomalies)
        else:
            count = _copy_batches(_TABLE, ("plan_id", *FIELDS, "anomaly", "adjustment_reason"),
                                  _entry_columns(batches, anomalies, plan_id=locked.pk))
    else:
        _delete_rows(locked.pk)
        count = 0
        for batch in batches:
            RosterEntry.objects.bulk_create(
                [RosterEntry(plan=locked, anomaly=anomalies.get(r[ID_AT], ""), **dict(zip(FIELDS, r, strict=True)))
                 for r in batch], batch_size=BATCH_SIZE)
            count += len(batch)
    plan_risk_facts_refresh(plan_ids=[locked.pk])
    return count


_TABLE = RosterEntry._meta.db_table
_INCOMING = "roster_incoming"


def _delete_rows(plan_id: int) -> None:
    """One DELETE statement: QuerySet.delete() would first fetch every row to send signals."""
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{_TABLE}" WHERE plan_id = %s', [plan_id])


def _columns(rows: list[tuple]) -> list[tuple]:
    """Rows in FIELDS order as columns (one tuple per field, empty ones for no rows)."""
    with cyclic_gc_paused():  # zip makes an iterator per row: collections over the whole heap, 0.3 s at 200,000 rows
        return list(zip(*rows, strict=True)) if rows else [()] * len(FIELDS)


def _anomaly_column(columns: list[tuple], anomalies: dict[str, str]) -> list[str]:
    ids = columns[ID_AT]
    return list(map(anomalies.get, ids, repeat("", len(ids))))


def _entry_columns(batches: Iterable[list[tuple]], anomalies: dict[str, str], *,
                   plan_id: int | None = None) -> Iterator[list[tuple | list]]:
    """Each batch of rows as the columns COPY writes: FIELDS and the anomaly, with the plan and an empty
    adjustment reason around them for the roster table itself (`plan_id`)."""
    for batch in batches:
        columns = _columns(batch)
        columns.append(_anomaly_column(columns, anomalies))
        if plan_id is not None:
            count = len(batch)
            columns = [(plan_id,) * count, *columns, ("",) * count]
        yield columns


def _copy_batches(table: str, names: tuple[str, ...], batches: Iterable[list[tuple | list]]) -> int:
    """PostgreSQL COPY of the rows these batches of columns make, in one statement: several times faster than
    INSERT for tens of thousands of rows, and the server stores one batch while the next is being made. The
    text-format stream is built column by column (see _copy_text); a value COPY cannot carry (a NUL) goes
    through psycopg's write_row, which refuses it the same way as before. Returns the number of rows."""
    quoted = ", ".join(f'"{c}"' for c in names)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for columns in batches:
            if not columns[0]:
                continue
            count += len(columns[0])
            text = _copy_text(columns)
            if text is not None:
                copy.write(text)
            else:
                for row in zip(*columns, strict=True):
                    copy.write_row(row)
    return count


_BOOLEAN_TEXT = {True: "t", False: "f", None: "\\N"}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(given: list[tuple | list]) -> bytes | None:
    """COPY's text format for columns of str, int and yes/no/unknown values: one join per column, and escaping only
    in a column that has something to escape. None when a value is of another kind or a text holds a NUL."""
    columns = []
    with cyclic_gc_paused():  # hundreds of thousands of acyclic cells
        for column in given:
            kinds = set(map(type, column))
            if kinds <= {int}:
                columns.append(list(map(str, column)))
                continue
            if kinds <= {bool, type(None)}:  # a yes/no/unknown column (exam_passed)
                columns.append(list(map(_BOOLEAN_TEXT.__getitem__, column)))
                continue
            if not kinds <= {str}:
                return None
            joined = "".join(column)
            if "\0" in joined:
                return None
            if any(c in joined for c in "\\\t\n\r"):
                column = [value.translate(_ESCAPES) for value in column]
            columns.append(column)
        return ("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n").encode("utf-8")


@contextmanager
def _hash_joins(cursor):
    """No nested-loop joins for the statements inside (restored after them, in this transaction). The merge joins
    the plan's rows with the incoming ones; when the plan's rows were inserted after the table was last analysed
    (an import, then the corrected one), the planner expects one row and would scan the temporary table once per
    roster row: minutes at 50,000 rows instead of a hash join's tenth of a second."""
    cursor.execute("SELECT current_setting('enable_nestloop')")
    (previous,) = cursor.fetchone()
    cursor.execute("SET LOCAL enable_nestloop = off")
    yield  # on an error the transaction (or savepoint) rolls back, and the setting with it
    cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [previous])


def _merge_rows(plan_id: int, batches: Iterable[list[tuple]], anomalies: dict[str, str]) -> int:
    """A re-import: the new rows go to a temporary table, then a person already on the roster (same ID number)
    has their row rewritten in place when anything in it differs, the others are inserted and the rows of people
    no longer listed deleted. The result is the same roster as delete-and-insert, but a corrected roster costs
    what it corrects: an unchanged row is not written at all, a changed one is one UPDATE instead of a DELETE, an
    INSERT and the deferred foreign-key checks of both at commit."""
    fields = (*FIELDS, "anomaly")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TEMPORARY TABLE IF NOT EXISTS "{_INCOMING}" '
                       "(seq integer, name text, sex text, id_number text, employer text, specialty text, "
                       "title text, subject text, hours integer, phone text, note text, exam_passed boolean, "
                       "anomaly text) "
                       "ON COMMIT DELETE ROWS")
    count = _copy_batches(_INCOMING, fields, _entry_columns(batches, anomalies))
    assignments = ", ".join(f'"{f}" = i."{f}"' for f in fields if f != "id_number")
    kept = ", ".join(f'r."{f}"' for f in fields)
    incoming = ", ".join(f'i."{f}"' for f in fields)
    columns = ", ".join(f'"{f}"' for f in fields)
    selected = ", ".join(f'i."{f}"' for f in fields)
    with connection.cursor() as cursor, _hash_joins(cursor):
        cursor.execute(f'DELETE FROM "{_TABLE}" r WHERE r.plan_id = %s AND NOT EXISTS '
                       f'(SELECT 1 FROM "{_INCOMING}" i WHERE i.id_number = r.id_number)', [plan_id])
        cursor.execute(f'UPDATE "{_TABLE}" r SET {assignments}, certified_hours = NULL, adjustment_reason = \'\' '
                       f'FROM "{_INCOMING}" i WHERE r.plan_id = %s AND r.id_number = i.id_number '
                       f"AND (({kept}) IS DISTINCT FROM ({incoming}) OR r.certified_hours IS NOT NULL "
                       "OR r.adjustment_reason <> '')", [plan_id])
        cursor.execute(f'INSERT INTO "{_TABLE}" (plan_id, {columns}, adjustment_reason) '
                       f"SELECT %s, {selected}, '' FROM \"{_INCOMING}\" i WHERE NOT EXISTS "
                       f'(SELECT 1 FROM "{_TABLE}" r WHERE r.plan_id = %s AND r.id_number = i.id_number)',
                       [plan_id, plan_id])
    return count

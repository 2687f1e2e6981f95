"""The ledger app is the only code that writes Person, HourEntry and PersonFlag rows.

The scan walks every project module outside ledger/ (and outside tests, migrations and the raw-SQL
benchmark loaders) and fails on `<Model>.objects.create/bulk_create/get_or_create/update_or_create`
and on constructing `<Model>(…)` for those models.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUARDED = {"HourEntry", "Person", "PersonFlag"}
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}
SKIPPED_DIRS = {"ledger", "tests", "migrations", ".venv", "node_modules", "var", "bench", "static"}


def _project_modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
    )


def ledger_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for each write of a guarded model in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in GUARDED:
            found.append((node.lineno, f"{func.id}(…)"))
        elif (isinstance(func, ast.Attribute) and func.attr in WRITES and isinstance(func.value, ast.Attribute)
              and func.value.attr == "objects" and isinstance(func.value.value, ast.Name)
              and func.value.value.id in GUARDED):
            found.append((node.lineno, f"{func.value.value.id}.objects.{func.attr}"))
    return found


def test_no_module_outside_ledger_writes_ledger_rows():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _project_modules() for line, what in ledger_writes(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_scan_covers_the_apps_that_used_to_write_the_ledger():
    scanned = {str(p.relative_to(ROOT)) for p in _project_modules()}
    assert {"reviews/certification.py", "reviews/spotchecks/reversals.py", "filings/services.py"} <= scanned
    assert not any(name.startswith("ledger/") for name in scanned)


@pytest.mark.parametrize("snippet, what", [
    ("HourEntry.objects.create(person=p, hours=1)", "HourEntry.objects.create"),
    ("HourEntry.objects.bulk_create(rows)", "HourEntry.objects.bulk_create"),
    ("Person.objects.get_or_create(id_number=n)", "Person.objects.get_or_create"),
    ("Person.objects.update_or_create(id_number=n)", "Person.objects.update_or_create"),
    ("PersonFlag.objects.create(code='grassroots')", "PersonFlag.objects.create"),
    ("rows = [HourEntry(person=p) for p in ps]", "HourEntry(…)"),
    ("new = Person(id_number=n)", "Person(…)"),
])
def test_the_scan_finds_each_kind_of_write(snippet, what):
    assert ledger_writes(snippet) == [(1, what)]


def test_the_scan_lets_reads_through():
    reads = "HourEntry.objects.filter(x=1).count()\nPerson.objects.get(pk=1)\nHourEntry.Kind.CREDIT\n"
    assert ledger_writes(reads) == []

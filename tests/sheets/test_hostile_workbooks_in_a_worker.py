"""Findings 3 and 5: tiny workbooks that make a parser lay out millions of cells are refused, not run.

Each parser runs in a child process with its address space limited (resource.setrlimit), as a Celery or
web worker would: before the guard bounded columns and real cells, these children died or ran out of time.
"""

import pytest

from tests.sheets.limited import run_limited, sparse_workbook

ROSTER = """
from filings.roster.services import roster_read_guarded
try:
    roster_read_guarded(content)
except ValidationError as refusal:
    print("REFUSED", refusal.messages[0])
else:
    print("READ")
"""

BATCH = """
import datetime as dt
from django.core.files.uploadedfile import SimpleUploadedFile
from rules.cards.batch import read_applicants
try:
    read_applicants(SimpleUploadedFile("名单.xlsx", content), today=dt.date(2026, 9, 1))
except ValidationError as refusal:
    print("REFUSED", refusal.messages[0])
else:
    print("READ")
"""


def test_a_roster_with_cells_at_a1_and_xfd3000_is_refused_under_a_memory_limit(tmp_path):
    content = sparse_workbook({"A1": "姓名", "B1": "身份证号码", "XFD3000": "x"})
    assert len(content) < 10 * 1024
    done = run_limited(ROSTER, content, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("REFUSED") and "列数过多" in done.stdout, done.stdout


def test_a_roster_hiding_its_width_behind_a_small_declared_dimension_is_refused(tmp_path):
    content = sparse_workbook({"A1": "姓名", "XFD3000": "x"}, dimension="A1:B2")
    done = run_limited(ROSTER, content, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("REFUSED") and "列数过多" in done.stdout, done.stdout


def test_a_roster_hiding_a_far_cell_behind_a_second_reference_is_refused(tmp_path):
    """`<c r="B2" r="XFD3000">`: the parser places the cell by its last `r` (before the fix the guard read the
    first, passed the file, and the child aborted allocating 1.5 GB)."""
    content = sparse_workbook({"A1": "姓名", "B1": "身份证号码", "B2": "x"}, rewrite=(b'<c r="B2"', b'<c r="B2" r="XFD3000"'))
    done = run_limited(ROSTER, content, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("REFUSED") and "列数过多" in done.stdout, done.stdout


def test_an_eligibility_list_declaring_a1_xfd4000_is_refused_quickly(tmp_path):
    cells = {"A1": "姓名", "B1": "身份证号码"} | {f"A{row}": "x" for row in range(2, 4001)}
    content = sparse_workbook(cells, dimension="A1:XFD4000")
    assert len(content) < 64 * 1024
    done = run_limited(BATCH, content, tmp_path, memory_mb=400, cpu_seconds=3)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("REFUSED") and "声明的范围" in done.stdout, done.stdout


@pytest.mark.parametrize("cells", [{"A1": "姓名", "B1": "身份证号码", "A3": "张三"}])
def test_an_ordinary_small_workbook_still_passes_the_guard_in_the_child(tmp_path, cells):
    done = run_limited(ROSTER, sparse_workbook(cells), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("READ"), done.stdout

"""The list toolkit's export: bounded memory for 100,000 rows, formula-safe text, typed cells."""

import datetime as dt
import decimal
import tracemalloc
import zipfile

from openpyxl import load_workbook

from common.lists import Column, xlsx_rows_file

COLUMNS = [Column("编号", lambda r: r[0]), Column("名称", lambda r: r[1]), Column("学时", lambda r: r[2]),
           Column("时间", lambda r: r[3])]


def _rows(n):
    start = dt.datetime(2026, 1, 1, 8, 0)
    for i in range(n):
        yield (f"备-2026-1504-{i:06d}", f"专业技术人员继续教育培训班第{i}期（内蒙古自治区赤峰市）", i % 90,
               start + dt.timedelta(minutes=i))


def _peak(n) -> int:
    tracemalloc.start()
    try:
        handle = xlsx_rows_file(_rows(n), COLUMNS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(handle) as archive:
        assert archive.testzip() is None
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    handle.close()
    assert size > n * 100  # every row was written
    return peak


def test_an_export_of_100000_rows_keeps_memory_bounded():
    small = _peak(10_000)
    large = _peak(100_000)
    print(f"export peak memory: 10,000 rows {small / 2**20:.1f} MiB; 100,000 rows {large / 2**20:.1f} MiB")
    # Ten times the rows, not ten times the memory: the rows go to a temporary file as they come.
    assert large < small * 1.5
    assert large < 16 * 2**20


def test_cells_keep_types_and_formula_text_stays_text():
    rows = [("=1+1", "@SUM(A1)", decimal.Decimal("2.5"), dt.datetime(2026, 3, 1, 9, 0)),
            ("-2", None, 3, dt.date(2026, 3, 2))]
    handle = xlsx_rows_file(rows, COLUMNS)
    ws = load_workbook(handle).active
    assert [c.value for c in ws[1]] == ["编号", "名称", "学时", "时间"]
    # Text cells through the one writer (sheets.cells): no visible apostrophe, never a formula.
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == "@SUM(A1)" and ws["B2"].data_type == "s"
    assert ws["C2"].value == 2.5 and ws["D2"].value == dt.datetime(2026, 3, 1, 9, 0)
    assert ws["A3"].value == "-2" and ws["A3"].data_type == "s" and ws["B3"].value is None and ws["C3"].value == 3

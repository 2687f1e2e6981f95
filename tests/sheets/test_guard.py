"""sheets.guard: the range a sheet really reaches, however its XML is spelt."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from sheets.guard import WorkbookLimits, check_workbook_bytes
from tests.sheets.limited import sparse_workbook

LIMITS = WorkbookLimits(max_rows=100, max_columns=20, max_area=1000, max_cells=1000)


def with_sheet_data(rows_xml: str) -> bytes:
    content = sparse_workbook({"A1": "x"})
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start, end = data.index(b"<sheetData>"), data.index(b"</sheetData>") + len(b"</sheetData>")
                data = data[:start] + f"<sheetData>{rows_xml}</sheetData>".encode() + data[end:]
            target.writestr(info.filename, data)
    return out.getvalue()


@pytest.mark.parametrize("rows_xml,expected", [
    ('<row r="1"><c r="A1"/>' + "<c/>" * 30 + "</row>", "列数过多"),  # cells without r follow one another
    ('<row r="1"><c r="A1"/></row><row><c r="B5000"/></row>', "行数过多"),
    ("<row r=\"1\"><c t='s' r='AZ1'/></row>", "列数过多"),  # single quotes, r not first
    ('<row r="1"><c\nr="AZ1"/></row>', "列数过多"),  # a line break inside the tag
    ('<row r="1"><x:c xmlns:x="urn:x" r="AZ1"/></row>', "列数过多"),  # a prefixed element
    ('<row r="1"><c s="1" foo=\' r="A1"\' r="AZ1"/></row>', "列数过多"),  # a decoy inside a quoted value
    ('<row r="90"><c r="T90"/></row>', "范围过大"),  # 90 rows x 20 columns > 1000 cells
    ('<row r="1"><c r="A1" r="AZ1"/></row>', "列数过多"),  # a second r: the parser places the cell by the last
    ('<row r="1"><c r="A1" t="s" r=\'A5000\'><v>0</v></c></row>', "行数过多"),
    ('<row r="1"><c r="A1" s="1" r = "AZ1"/></row>', "列数过多"),
])
def test_it_refuses_a_sheet_reaching_too_far(rows_xml, expected):
    with pytest.raises(ValidationError, match=expected):
        check_workbook_bytes(with_sheet_data(rows_xml), LIMITS)


def test_it_counts_real_cells():
    rows = "".join(f'<row r="{n}">' + "".join(f'<c r="{chr(65 + k)}{n}"/>' for k in range(20)) + "</row>"
                   for n in range(1, 51))
    with pytest.raises(ValidationError, match="单元格过多"):
        check_workbook_bytes(with_sheet_data(rows), WorkbookLimits(max_rows=100, max_columns=20, max_area=10_000,
                                                                   max_cells=999))
    check_workbook_bytes(with_sheet_data(rows), WorkbookLimits(max_rows=100, max_columns=20, max_area=10_000,
                                                               max_cells=1000))


def test_an_ordinary_sheet_passes():
    check_workbook_bytes(with_sheet_data('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="T40"/></row>'), LIMITS)

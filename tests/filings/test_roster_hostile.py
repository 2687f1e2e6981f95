"""Hostile or broken workbooks are refused quickly, with a clear Chinese message, never a server error."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError

from filings.roster.columns import MAX_FILE_BYTES, ROSTER_LIMITS
from filings.roster.services import roster_import
from sheets.guard import check_name_and_size
from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import person, roster_bytes

pytestmark = pytest.mark.django_db
report_plan = support.report_plan


def rezip(content: bytes, *, replace: dict | None = None, add: dict | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, (replace or {}).get(info.filename, data))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def refused(plan, content: bytes, expected: str) -> None:
    started = time.perf_counter()
    outcome = roster_import(plan=plan, content=content)
    assert time.perf_counter() - started < 2
    assert outcome.status == "failed"
    assert expected in outcome.errors[0]["message"], outcome.errors
    assert not plan.roster.exists()


def test_it_refuses_an_oversized_file(report_plan):
    refused(report_plan, b"PK" + b"\0" * MAX_FILE_BYTES, "文件过大")
    with pytest.raises(ValidationError, match="不能超过 20 MB"):
        check_name_and_size("花名册.xlsx", MAX_FILE_BYTES + 1, ROSTER_LIMITS)


def test_it_refuses_a_zip_bomb_before_parsing(report_plan):
    bomb = rezip(roster_bytes(report_plan, [person(1)]), add={"xl/media/image1.png": b"\0" * (40 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    refused(report_plan, bomb, "解压后体积过大")


def test_it_refuses_a_sheet_declaring_a_huge_dimension(report_plan):
    content = roster_bytes(report_plan, [person(1)])
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:' in sheet
    huge = sheet.replace(b'<dimension ref="A1:', b'<dimension ref="A1:K1048576" x="', 1)
    refused(report_plan, rezip(content, replace={"xl/worksheets/sheet1.xml": huge}), "行数过多")


def test_it_refuses_a_macro_enabled_workbook(report_plan):
    content = roster_bytes(report_plan, [person(1)])
    refused(report_plan, rezip(content, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "含宏")
    types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml").replace(
        b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    refused(report_plan, rezip(content, replace={"[Content_Types].xml": types}), "含宏")
    with pytest.raises(ValidationError, match="含宏"):
        check_name_and_size("花名册.xlsm", 100, ROSTER_LIMITS)


def test_it_refuses_malformed_xml(report_plan):
    content = roster_bytes(report_plan, [person(1)])
    broken = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
             b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2'
    refused(report_plan, rezip(content, replace={"xl/worksheets/sheet1.xml": broken}), "无法读取")


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, b""])
def test_it_refuses_a_file_that_is_not_a_zip(report_plan, content):
    refused(report_plan, content, "不是有效的 .xlsx")


def test_it_refuses_a_zip_that_is_not_a_workbook(report_plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(report_plan, buffer.getvalue(), "不是有效的 .xlsx")


def test_it_refuses_a_workbook_without_the_roster_headers(report_plan):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["随便", "什么"])
    buffer = io.BytesIO()
    wb.save(buffer)
    refused(report_plan, buffer.getvalue(), "未找到表头")


def test_it_names_a_deleted_column(report_plan):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(roster_bytes(report_plan, [person(1)])))
    wb.active.delete_cols(10)
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = roster_import(plan=report_plan, content=buffer.getvalue())
    assert outcome.errors == [{"row": 3, "column": "联系电话", "message": "缺少“联系电话”列：请使用花名册模板，不要删除或改动列名。"}]

"""学时审验的 Excel 输入与输出。

Input workbook (sheet names fixed, first row is the header; a header may carry a Chinese
label after the code, e.g. "key（人员编号）"):

- 审验参数: two columns, 字段 | 值, rows kind, level, date, region.
- 人员: key | id_number | birth_date | sex | flags | post_start_year — one row per person;
  flags as "code:year;code" (e.g. "transferred_from_organ:2025;non_public").
- 学时记录: key | year | subject | source | hours | minutes — one row per record, tied to the
  person by key; give hours or minutes.

Codes are the JSON ones (sex M/F, subject public/professional, …). Keep id_number, key and
region as text cells: a number cell of 18 digits loses its last digits in Excel.

Output workbook: 审验参数 (the review echo with rules), 审验结果 (key | eligible | required_years |
applied | reasons | notice, lists joined by ";" and reasons by line breaks), 年度学时 (key | year | public |
professional | complete | public_missing | professional_missing).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from rules.engine import EligibilityInputError
from sheets.cells import append_row
from sheets.guard import WorkbookLimits, check_workbook_bytes

INPUT_LIMITS = WorkbookLimits(label="审验输入", max_bytes=20 * 1024 * 1024, max_uncompressed_bytes=150 * 1024 * 1024,
                              max_members=500, max_rows=200_000, max_columns=30, max_area=4_000_000,
                              max_cells=4_000_000)

REVIEW_SHEET, PERSON_SHEET, RECORD_SHEET = "审验参数", "人员", "学时记录"
RESULT_SHEET, YEAR_SHEET = "审验结果", "年度学时"
PERSON_COLUMNS = ("key", "id_number", "birth_date", "sex", "flags", "post_start_year")
RECORD_COLUMNS = ("key", "year", "subject", "source", "hours", "minutes")
RESULT_COLUMNS = ("key", "eligible", "required_years", "applied", "reasons", "notice")
YEAR_COLUMNS = ("key", "year", "public", "professional", "complete", "public_missing", "professional_missing")


def _cell(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value


def _rows(workbook, name: str) -> list[dict]:
    if name not in workbook.sheetnames:
        raise EligibilityInputError("输入", name, f"工作簿缺少工作表“{name}”。")
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h or "").split("（")[0].strip() for h in rows[0]]
    return [dict(zip(header, map(_cell, row), strict=False)) for row in rows[1:] if any(v is not None for v in row)]


def _flags(text) -> list[dict]:
    flags = []
    for part in str(text or "").replace("；", ";").split(";"):
        code, _, year = part.strip().partition(":")
        if code:
            year = year.strip()
            flags.append({"code": code, "year": int(year) if year.isdigit() else (year or None)})
    return flags


def _keyed(value) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if value is None else str(value)


def read_workbook(stream) -> dict:
    """The contract's JSON input from an input workbook (through the upload guard first: a ValueError
    naming the problem if the file is not an ordinary .xlsx within INPUT_LIMITS)."""
    content = Path(stream).read_bytes() if isinstance(stream, str | Path) else stream.read()
    try:
        check_workbook_bytes(content, INPUT_LIMITS)
    except ValidationError as error:
        raise ValueError("；".join(error.messages)) from None
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return _payload(workbook)
    finally:
        workbook.close()


def _payload(workbook) -> dict:
    review = {row.get("字段"): row.get("值") for row in _rows(workbook, REVIEW_SHEET)}
    if review.get("region") is not None:
        review["region"] = _keyed(review["region"])
    persons, by_key = [], {}
    for row in _rows(workbook, PERSON_SHEET):
        person = {name: row.get(name) for name in PERSON_COLUMNS if name != "flags"}
        person.update(key=_keyed(row.get("key")), id_number=_keyed(row.get("id_number")), flags=_flags(row.get("flags")), records=[])
        persons.append(person)
        by_key[person["key"]] = person
    for number, row in enumerate(_rows(workbook, RECORD_SHEET), start=2):
        key = _keyed(row.get("key"))
        if key not in by_key:
            raise EligibilityInputError(str(key), f"{RECORD_SHEET}第{number}行 key", "人员表中没有此人员编号。")
        record = {name: row.get(name) for name in RECORD_COLUMNS[1:] if row.get(name) is not None}
        by_key[key]["records"].append(record)
    return {"review": review, "persons": persons}


def write_workbook(answer: dict, stream) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REVIEW_SHEET
    append_row(sheet, ("字段", "值"))
    for name, value in answer["review"].items():
        append_row(sheet, (name, value))
    results = workbook.create_sheet(RESULT_SHEET)
    append_row(results, RESULT_COLUMNS)
    years = workbook.create_sheet(YEAR_SHEET)
    append_row(years, YEAR_COLUMNS)
    for result in answer["results"]:
        append_row(results, (
            result["key"], "是" if result["eligible"] else "否", ";".join(map(str, result["required_years"])),
            ";".join(result["applied"]), "\n".join(result["reasons"]), result.get("notice", ""),
        ))
        for year, tally in result["years"].items():
            append_row(years, (result["key"], int(year), *(tally[name] for name in YEAR_COLUMNS[2:])))
    workbook.save(stream)

"""Read the roster sheet with calamine (fast), after the guard has passed the bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from filings.roster.columns import (
    BY_HEADER,
    COLUMNS,
    INSTRUCTIONS_MARK,
    MAX_DATA_ROWS,
    PLAN_LABEL,
    ROSTER_LIMITS,
)

HEADER_SEARCH_ROWS = 10
MAX_SHEET_ROWS = ROSTER_LIMITS.max_rows
HUGE_SHEET = (f"工作表的行数过多（超过 {MAX_DATA_ROWS} 行），系统拒绝读取。"
              "请删除多余的空行或格式，或把数据复制到新的花名册模板中后重新上传。")
BROKEN = "无法读取该工作簿：文件内容已损坏或格式不正确（{detail}）。请用花名册模板重新填写，另存为 .xlsx 后上传。"


@dataclass
class RosterSheet:
    """The raw cells: data rows as (Excel row number, values by column key)."""

    header_row: int = 0
    positions: dict[str, int] = field(default_factory=dict)  # column key -> 0-based column index
    rows: list[tuple[int, list]] = field(default_factory=list)
    plan_line: str = ""
    plan_line_row: int = 0
    missing: list[str] = field(default_factory=list)


def load_cells(content: bytes) -> list[list]:
    """All cells of the first sheet from A1, or a ValidationError; never a parser exception."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = book.get_sheet_by_index(0)
        if sheet.total_height > MAX_SHEET_ROWS:
            raise ValidationError(HUGE_SHEET)
        return sheet.to_python(skip_empty_area=False)
    except ValidationError:
        raise
    except Exception as error:  # calamine raises several kinds (XmlError, ZipError, CalamineError, ...)
        raise ValidationError(BROKEN.format(detail=type(error).__name__)) from error


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _find_header(cells: list[list]) -> int | None:
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        texts = {_text(v) for v in row}
        if "姓名" in texts and "身份证号码" in texts:
            return index
    return None


def _is_blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_roster(content: bytes) -> RosterSheet:
    cells = load_cells(content)
    header = _find_header(cells)
    if header is None:
        raise ValidationError("未找到表头：前10行中应有“姓名”“身份证号码”等列名。请使用本计划的花名册模板填写。")
    sheet = RosterSheet(header_row=header + 1)
    for index, value in enumerate(cells[header]):
        column = BY_HEADER.get(_text(value))
        if column and column.key not in sheet.positions:
            sheet.positions[column.key] = index
    sheet.missing = [c.header for c in COLUMNS if c.key not in sheet.positions and c.required]
    for index, row in enumerate(cells[:header]):
        if row and _text(row[0]).startswith(PLAN_LABEL):
            sheet.plan_line, sheet.plan_line_row = _text(row[0]), index + 1
    sheet.rows = _data_rows(cells, header, sheet.positions)
    return sheet


def _data_rows(cells: list[list], header: int, positions: dict[str, int]) -> list[tuple[int, list]]:
    """The rows below the header as (Excel row number, values), without blank rows and the instructions line.
    A number in the first column (序号) makes a row neither, so only rows whose first cell is blank or text are
    looked at one by one."""
    start = header + 1
    body = cells[start:]
    firsts = [values[0] if values else None for values in body]
    skipped = {at for at, first in enumerate(firsts)
               if (first is None or type(first) is str)
               and (_is_blank(body[at]) or _text(first).startswith(INSTRUCTIONS_MARK))}
    if len(body) - len(skipped) > MAX_DATA_ROWS:
        raise ValidationError(HUGE_SHEET)
    numbered = enumerate(body, start=start + 1)  # (Excel row number, values)
    if not skipped:
        return list(numbered)
    return [row for at, row in enumerate(numbered) if at not in skipped]

"""Small helpers shared by every workbook we write."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

# A spreadsheet program runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Text that would start a formula gets a leading single quote, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def local_text(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def write_row(ws, row: int, values, *, border: bool = True, font: Font | None = None,
              alignment: Alignment = WRAP) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=safe_cell(value))
        cell.alignment = alignment
        if border:
            cell.border = BOX
        if font:
            cell.font = font


def merged_line(ws, row: int, last_column: int, value, *, font: Font | None = None,
                alignment: Alignment = WRAP) -> None:
    """One line of text across the sheet's width (title, header block)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
    cell = ws.cell(row=row, column=1, value=safe_cell(value))
    cell.alignment = alignment
    if font:
        cell.font = font


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

"""The one way a value goes into a cell of a workbook we write (every export goes through here).

Formula-safe by construction: a text value is always stored as a text cell (inline string), never as a
formula, whatever it begins with, so `=HYPERLINK(…)` in an organiser's training name stays text. Text
that a spreadsheet program would read as a formula once a user edits the cell (`= + - @`, a tab or a
carriage return first) also gets Excel's "quote prefix" cell style: the cell shows the text as it is,
with no visible apostrophe, and stays text after editing. Characters XML cannot carry are dropped
instead of failing the export.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side

# A spreadsheet program runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLAIN_TYPES = (bool, int, float, decimal.Decimal, dt.datetime, dt.date, dt.time, dt.timedelta)


def _plain(value):
    """Numbers, dates and booleans as they are; anything else as text."""
    if value is None or isinstance(value, PLAIN_TYPES):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def put(cell: Cell, value) -> Cell:
    """Set the cell's value; text is text, never a formula."""
    value = _plain(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def new_cell(ws, value, *, font: Font | None = None, alignment: Alignment | None = None,
             border: Border | None = None) -> Cell:
    """A detached cell for `ws.append` (works for normal and write-only sheets alike)."""
    cell = put(WriteOnlyCell(ws), value)
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    if border:
        cell.border = border
    return cell


def append_row(ws, values, *, font: Font | None = None, alignment: Alignment | None = None,
               border: Border | None = None) -> None:
    ws.append([new_cell(ws, v, font=font, alignment=alignment, border=border) for v in values])


def local_text(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def write_row(ws, row: int, values, *, border: bool = True, font: Font | None = None,
              alignment: Alignment = WRAP) -> None:
    for column, value in enumerate(values, start=1):
        cell = put(ws.cell(row=row, column=column), value)
        cell.alignment = alignment
        if border:
            cell.border = BOX
        if font:
            cell.font = font


def merged_line(ws, row: int, last_column: int, value, *, font: Font | None = None,
                alignment: Alignment = WRAP) -> None:
    """One line of text across the sheet's width (title, header block)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
    cell = put(ws.cell(row=row, column=1), value)
    cell.alignment = alignment
    if font:
        cell.font = font


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plain_text(value) -> str:
    """A cell read back as text, as the upload readers take it: blank as '', whole numbers without '.0'
    (an ID or phone typed as a number), stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()

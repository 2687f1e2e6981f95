"""The uploaded workbook handed back with each bad cell in red and the reasons in a 错误说明 column."""

from __future__ import annotations

from collections import defaultdict

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from filings.roster.columns import BY_HEADER
from filings.roster.reader import load_cells, read_roster
from sheets.cells import new_cell, workbook_bytes

RED = PatternFill("solid", fgColor="FFC7CE")
RED_FONT = Font(color="9C0006")
NOTE_HEADER = "错误说明"


def _index_errors(errors: list[dict], positions: dict[str, int]):
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    rows: dict[int, list[str]] = defaultdict(list)
    for item in errors:
        row = item.get("row")
        if not row:
            continue
        column = BY_HEADER.get(item.get("column", ""))
        if column and column.key in positions:
            cells[(row, positions[column.key])].append(item["message"])
        rows[row].append(f"{item.get('column') or '本行'}：{item['message']}")
    return cells, rows


def _cell(ws, value, messages: list[str] | None):
    cell = new_cell(ws, value if value != "" else None)
    if messages:
        cell.fill = RED
        cell.comment = Comment("\n".join(messages), "系统校验")
    return cell


def roster_marked_workbook(content: bytes, errors: list[dict]) -> bytes:
    """Rebuild the first sheet from its values (fast, write-only); formatting is not copied."""
    cells = load_cells(content)
    sheet = read_roster(content)
    bad_cells, row_notes = _index_errors(errors, sheet.positions)
    width = max((len(r) for r in cells), default=0)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册（错误标注）")
    for index, values in enumerate(cells, start=1):
        line = [_cell(ws, v, bad_cells.get((index, col))) for col, v in enumerate(values)]
        line += [None] * (width - len(values))
        if index == sheet.header_row:
            line.append(NOTE_HEADER)
        elif row_notes.get(index):
            line.append(new_cell(ws, "；".join(row_notes[index]), font=RED_FONT))
        ws.append(line)
    return workbook_bytes(wb)

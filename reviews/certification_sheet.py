"""A spreadsheet of adjustments (学时调整表): 序号, 核定学时, 调整理由 (姓名 and 身份证号码 optional, checked).

Read through the workbook guard the roster upload uses; every error names its row and column.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from filings.roster.columns import ROSTER_LIMITS
from filings.roster.reader import load_cells
from reviews.certification import require_certifier
from reviews.certification_runs import Change, certification_adjustments_save
from sheets.guard import check_name_and_size, check_workbook_bytes, read_limited

REQUIRED = ("序号", "核定学时")
OPTIONAL = ("调整理由", "姓名", "身份证号码")
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 60_000


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _header(cells: list[list]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        positions = {}
        for col, value in enumerate(row):
            positions.setdefault(_text(value), col)
        if all(name in positions for name in REQUIRED):
            return index, {name: positions[name] for name in REQUIRED + OPTIONAL if name in positions}
    raise ValidationError("找不到表头：学时调整表的前 10 行中须有“序号”“核定学时”两列（“调整理由”“姓名”“身份证号码”可选）。")


def _cell(values: list, col: int | None):
    return values[col] if col is not None and col < len(values) else None


def read_adjustments(uploaded_file) -> list[Change]:
    """The rows of the spreadsheet as changes (names and ID numbers, when given, checked by the save)."""
    check_name_and_size(uploaded_file.name, uploaded_file.size, ROSTER_LIMITS)
    content = read_limited(uploaded_file, ROSTER_LIMITS)
    check_workbook_bytes(content, ROSTER_LIMITS)
    cells = load_cells(content)
    header, positions = _header(cells)
    if len(cells) - header - 1 > MAX_ROWS:
        raise ValidationError(f"学时调整表不能超过 {MAX_ROWS} 行。")

    def name(field: str) -> str:
        col = positions.get(field)
        return f" {column_letter(col)} 列（{field}）" if col is not None else f"（{field}）"

    columns = (name("序号"), name("核定学时"), name("调整理由"))
    changes = []
    for offset, values in enumerate(cells[header + 1:], start=header + 2):
        picked = [_cell(values, positions.get(f)) for f in REQUIRED + OPTIONAL]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in picked):
            continue
        where = f"第 {offset} 行"
        changes.append(Change(seq=picked[0], hours=picked[1], reason=picked[2], where=where, columns=columns,
                              name=picked[3], id_number=picked[4], identity_columns=(name("姓名"), name("身份证号码"))))
    if not changes:
        raise ValidationError("学时调整表中没有数据行。")
    return changes


def certification_adjustments_upload(*, plan, actor, uploaded_file) -> int:
    """All or nothing: the permission first, then the guard and the rows; nothing is saved on any error."""
    require_certifier(plan, actor)
    if uploaded_file is None:
        raise ValidationError("请选择要上传的学时调整表（.xlsx）。")
    return certification_adjustments_save(plan=plan, actor=actor, changes=read_adjustments(uploaded_file))

"""培训计划导入模板: the workbook organisers fill in to file a year's plans at once."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from filings.models import Mode, Subject
from filings.spreadsheets.plan_columns import COLUMNS, FIRST_DATA_ROW, INSTRUCTIONS_MARK, MAX_DATA_ROWS
from sheets.cells import BOLD, BOX, CENTRE, put, workbook_bytes

DATE_FORMAT = "yyyy-mm-dd hh:mm"
WIDTHS = {"title": 30, "content": 36, "place": 24, "trainee_scope": 24, "teachers": 44}


def _choice_list(labels: list[str], title: str) -> DataValidation:
    formula = '"' + ",".join(labels) + '"'
    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorTitle=title, error=f"请从下拉列表中选择：{'、'.join(labels)}")


def _add_choices(ws, last_row: int) -> None:
    for field, labels in (("subject", Subject.labels), ("mode", Mode.labels)):
        letter = _letter(field)
        validation = _choice_list(list(labels), "输入无效")
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        ws.add_data_validation(validation)


def _letter(field: str) -> str:
    return get_column_letter([c.field for c in COLUMNS].index(field) + 1)


def plan_template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "培训计划"
    hint_font = Font(color="806000", size=9)
    for index, column in enumerate(COLUMNS, start=1):
        head = put(ws.cell(row=1, column=index), column.header)
        head.font, head.alignment, head.border = BOLD, CENTRE, BOX
        head.fill = PatternFill("solid", fgColor="DDEBF7")
        hint = f"{'必填' if column.required else '选填'}。{column.hint}".rstrip("。")
        if index == 1:
            hint = f"{INSTRUCTIONS_MARK}（本行导入时忽略，请从第{FIRST_DATA_ROW}行起每行填一个计划）：{hint}"
        note = put(ws.cell(row=2, column=index), hint)
        note.font, note.alignment = hint_font, Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.field, 16)
    last_row = FIRST_DATA_ROW + MAX_DATA_ROWS - 1
    _add_choices(ws, last_row)
    for field in ("starts_at", "ends_at"):
        for row in range(FIRST_DATA_ROW, last_row + 1):
            ws[f"{_letter(field)}{row}"].number_format = DATE_FORMAT
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    return workbook_bytes(wb)

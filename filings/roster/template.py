"""培训花名册模板: the workbook an organiser downloads, fills in and uploads after the training."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from filings.models import Subject, TrainingPlan
from filings.roster.columns import (
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INSTRUCTIONS_MARK,
    INSTRUCTIONS_ROW,
    PLAN_LABEL,
    TITLE,
)
from sheets.cells import BOLD, BOX, CENTRE, put, workbook_bytes

TEXT_ROWS = 1000  # rows pre-formatted as text in the ID column (the column style covers the rest)
LAST_CHOICE_ROW = FIRST_DATA_ROW + 50_000
WIDTHS = {"name": 12, "id_number": 22, "employer": 28, "specialty": 16, "title": 16, "phone": 16, "note": 20}


def _letter(key: str) -> str:
    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)


def _choices(ws, key: str, labels: list[str]) -> None:
    letter = _letter(key)
    validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="输入无效",
                                error=f"请从下拉列表中选择：{'、'.join(labels)}")
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_CHOICE_ROW}")
    ws.add_data_validation(validation)


def _header_block(ws, plan: TrainingPlan) -> None:
    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], TITLE)
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), CENTRE
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], f"{PLAN_LABEL}{plan.filing_no}　培训名称：{plan.title}　"
                  f"组织单位：{plan.organiser}　科目类别：{plan.get_subject_display()}　每人学时：{plan.hours}")
    ws["A2"].alignment = Alignment(vertical="center")


def _column_heads(ws) -> None:
    hint_font = Font(color="806000", size=9)
    for index, column in enumerate(COLUMNS, start=1):
        head = put(ws.cell(row=HEADER_ROW, column=index), column.header)
        head.font, head.alignment, head.border = BOLD, CENTRE, BOX
        head.fill = PatternFill("solid", fgColor="DDEBF7")
        hint = f"{'必填' if column.required else '选填'}。{column.hint}".rstrip("。")
        if index == 1:
            hint = f"{INSTRUCTIONS_MARK}（本行导入时忽略，请从第{FIRST_DATA_ROW}行起每行填一人）：{hint}"
        note = put(ws.cell(row=INSTRUCTIONS_ROW, column=index), hint)
        note.font, note.alignment = hint_font, Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.key, 10)


def roster_template_workbook(plan: TrainingPlan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "培训花名册"
    _header_block(ws, plan)
    _column_heads(ws)
    id_letter = _letter("id_number")
    ws.column_dimensions[id_letter].number_format = "@"
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + TEXT_ROWS):
        ws[f"{id_letter}{row}"].number_format = "@"
    _choices(ws, "sex", ["男", "女"])
    _choices(ws, "subject", list(Subject.labels))
    ws.row_dimensions[INSTRUCTIONS_ROW].height = 48
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    return workbook_bytes(wb)

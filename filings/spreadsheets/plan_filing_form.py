"""附件1 专业技术人员年度培训计划备案表: one approved plan laid out as the paper form, for print and Excel."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook

from filings.models import PlanState, TrainingPlan
from sheets.cells import BOLD, CENTRE, local_text, merged_line, workbook_bytes, write_row

FORM_TITLE = "专业技术人员年度培训计划备案表"
# Every state from approval on: the approved plan stays printable through report and certification.
PRINTABLE_STATES = (
    PlanState.APPROVED, PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORTED,
    PlanState.REPORT_RETURNED, PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED,
)


def _approval(plan: TrainingPlan):
    return next((t for t in plan.transitions.all() if t.to_state == PlanState.APPROVED), None)


def filing_form_layout(plan: TrainingPlan) -> dict:
    """What the form shows, in the paper form's order; the HTML and the workbook both use it."""
    filled_on = plan.submitted_at or plan.created_at
    approval = _approval(plan)
    hours = f"{plan.hours}" + (f"（补学，计入{plan.credit_year}年）" if plan.is_makeup else "")
    return {
        "title": FORM_TITLE,
        "header": [("主管部门（公章）", plan.authority.name), ("填表时间", local_text(filled_on, "%Y年%m月%d日")),
                   ("联系人", f"{plan.contact_person}  {plan.contact_phone}")],
        "fields": [
            ("备案编号", plan.filing_no), ("培训组织单位", plan.organiser.name),
            ("培训名称", plan.title), ("科目类别", plan.get_subject_display()),
            ("培训方式", plan.get_mode_display()), ("培训地点或平台", plan.place),
            ("开始时间", local_text(plan.starts_at)), ("结束时间", local_text(plan.ends_at)),
            ("培训人员范围", plan.trainee_scope), ("计划人数", str(plan.planned_headcount)),
            ("每人学时", hours), ("收费标准（元/人）", f"{plan.fee}"),
        ],
        "content": plan.content,
        "teachers": [(t.name, t.title, t.employer) for t in plan.teachers.all()],
        "opinion": (f"同意备案。（{plan.authority.name}，{local_text(approval.at, '%Y年%m月%d日')}）"
                    if approval else "同意备案。"),
    }


def _pairs_rows(ws, start: int, pairs: list) -> int:
    row = start
    for index in range(0, len(pairs), 2):
        left, right = pairs[index], pairs[index + 1] if index + 1 < len(pairs) else ("", "")
        write_row(ws, row, [left[0], left[1], right[0], right[1]])
        for column in (1, 3):
            ws.cell(row=row, column=column).font = BOLD
        row += 1
    return row


def _wide_row(ws, row: int, label: str, value: str) -> None:
    write_row(ws, row, [label, value, "", ""])
    ws.cell(row=row, column=1).font = BOLD
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)


def plan_filing_form_workbook(plan: TrainingPlan) -> bytes:
    layout = filing_form_layout(plan)
    wb = Workbook()
    ws = wb.active
    ws.title = "备案表"
    merged_line(ws, 1, 4, layout["title"], font=BOLD, alignment=CENTRE)
    ws.row_dimensions[1].height = 30
    merged_line(ws, 2, 4, "    ".join(f"{label}：{value}" for label, value in layout["header"]))
    row = _pairs_rows(ws, 3, layout["fields"])
    _wide_row(ws, row, "培训内容", layout["content"])
    ws.row_dimensions[row].height = 60
    write_row(ws, row + 1, ["师资", "姓名", "职称职务", "工作单位"], font=BOLD, alignment=CENTRE)
    head, row = row + 1, row + 2
    for teacher in layout["teachers"] or [("（未填写）", "", "")]:
        write_row(ws, row, ["", *teacher])
        row += 1
    ws.merge_cells(start_row=head, start_column=1, end_row=row - 1, end_column=1)
    _wide_row(ws, row, "审核部门意见", layout["opinion"])
    merged_line(ws, row + 1, 4, f"打印时间：{local_text(timezone.now())}")
    for letter, width in zip("ABCD", (18, 34, 18, 34), strict=True):
        ws.column_dimensions[letter].width = width
    ws.print_options.horizontalCentered = True
    return workbook_bytes(wb)

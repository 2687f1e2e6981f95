"""附件3 知识更新工程专业技术人员能力提升项目培养培训计划表: an authority's plans of one year."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from filings.models import TrainingPlan
from filings.selectors import plans_visible_to
from filings.spreadsheets.plan_filing_form import PRINTABLE_STATES
from sheets.cells import BOLD, CENTRE, local_text, merged_line, workbook_bytes, write_row

TABLE_TITLE = "知识更新工程专业技术人员能力提升项目培养培训计划表"
HEADERS = ["序号", "项目名称", "主办单位", "培训内容", "培训方式", "培训时间", "培训地点", "培训对象",
           "培训人数", "学时", "备注"]
WIDTHS = [6, 30, 22, 36, 10, 26, 22, 24, 10, 8, 24]


def approved_plans_of_year(*, user: User, year: int) -> QuerySet[TrainingPlan]:
    """Approved (and later) plans in the user's scope whose training starts in `year` (local time)."""
    return (
        plans_visible_to(user)
        .filter(state__in=PRINTABLE_STATES, starts_at__year=year)
        .select_related("organiser")
        .order_by("starts_at", "pk")
    )


def _remark(plan: TrainingPlan) -> str:
    parts = [plan.get_subject_display(), f"备案编号 {plan.filing_no}"]
    if plan.is_makeup:
        parts.append(f"补学，计入{plan.credit_year}年")
    return "；".join(parts)


def _plan_row(number: int, plan: TrainingPlan) -> list:
    when = f"{local_text(plan.starts_at, '%Y-%m-%d')} 至 {local_text(plan.ends_at, '%Y-%m-%d')}"
    return [number, plan.title, plan.organiser.name, plan.content, plan.get_mode_display(), when, plan.place,
            plan.trainee_scope, plan.planned_headcount, plan.hours, _remark(plan)]


def knowledge_update_workbook(*, authority_name: str, year: int, plans) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年培训计划"
    merged_line(ws, 1, len(HEADERS), f"{year}年度{TABLE_TITLE}", font=BOLD, alignment=CENTRE)
    ws.row_dimensions[1].height = 30
    merged_line(ws, 2, len(HEADERS),
                f"填报单位（盖章）：{authority_name}        填表时间：{local_text(timezone.now(), '%Y年%m月%d日')}")
    write_row(ws, 3, HEADERS, font=BOLD, alignment=CENTRE)
    for number, plan in enumerate(plans, start=1):
        write_row(ws, 3 + number, _plan_row(number, plan))
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=3, column=index).column_letter].width = width
    ws.freeze_panes = "A4"
    return workbook_bytes(wb)

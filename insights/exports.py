"""Excel files of the statistics: one table, and the annual statistics report (年度统计报表).

Cells go through the project's formula-safe writer (a text starting with = + - @ stays text).
"""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from insights import tables as t
from insights.selectors import division_numbers
from sheets.cells import BOLD, CENTRE, merged_line, workbook_bytes, write_row


def _cell(value):
    return "—" if value is None else value


def _widths(ws, columns: int, first: int = 22, rest: int = 12) -> None:
    for i in range(1, columns + 1):
        ws.column_dimensions[get_column_letter(i)].width = first if i == 1 else rest


def _computed(page) -> str:
    g = page.generation
    return f"数据截至 {timezone.localtime(g.computed_at):%Y-%m-%d %H:%M}" if g and g.computed_at else "尚无统计数据"


def table_xlsx(page, table: t.Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.title[:31].replace("/", "_")
    width = len(table.columns)
    scope = page.division.name if page.division is not None else page.organisation.name
    merged_line(ws, 1, width, table.title, font=BOLD, alignment=CENTRE)
    merged_line(ws, 2, width, f"统计范围：{scope}　　年度：{page.year}　　期间：{page.period_label}　　{_computed(page)}")
    write_row(ws, 3, table.columns, font=BOLD, alignment=CENTRE)
    for i, row in enumerate(table.rows, start=4):
        write_row(ws, i, [_cell(v) for v in row])
    if table.note:
        merged_line(ws, 4 + len(table.rows), width, table.note)
    _widths(ws, width)
    return workbook_bytes(wb)


def annual_report(page) -> dict:
    """The annual report's rows: one per child node and a total, over the whole year."""
    n = division_numbers(generation=page.generation, division=page.division, year=page.year, period="year",
                         with_organisers=False)
    children = t.divisions_table(n, list(page.division.children.order_by("code")), lambda child: None)
    rows = children.rows if page.division.children.exists() else []
    return {"columns": t.DIVISION_COLUMNS, "rows": rows, "total": t.division_row("合计", n),
            "hours_by_source": t.hours_tables(n, "year")[1].rows}


def annual_xlsx(page, report: dict, *, contact: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{page.year}年度统计报表"
    width = len(report["columns"])
    merged_line(ws, 1, width, f"{page.year}年度专业技术人员继续教育统计报表", font=BOLD, alignment=CENTRE)
    merged_line(ws, 2, width, f"统计范围：{page.division.name}（{page.division.code}）")
    merged_line(ws, 3, width, f"主管部门（公章）：　　　　　　　　　　填表时间：{timezone.localdate():%Y年%m月%d日}"
                              f"　　　　联系人：{contact}　　　　联系电话：")
    write_row(ws, 4, report["columns"], font=BOLD, alignment=CENTRE)
    line = 5
    for row in [*report["rows"], report["total"]]:
        write_row(ws, line, [_cell(v) for v in row], font=BOLD if row is report["total"] else None)
        line += 1
    line += 1
    merged_line(ws, line, 2, "核定学时按来源", font=BOLD)
    write_row(ws, line + 1, ["学时来源", "学时"], font=BOLD, alignment=CENTRE)
    for i, row in enumerate(report["hours_by_source"], start=line + 2):
        write_row(ws, i, row)
    last = line + 2 + len(report["hours_by_source"])
    merged_line(ws, last + 1, width, f"说明：{_computed(page)}；达标率 = 学时达标人数 ÷ 在册专技人员，年度学时要求按当年生效的规则集。")
    _widths(ws, width)
    return workbook_bytes(wb)

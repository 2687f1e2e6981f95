"""Statistics pages (统计分析): thin views over insights.pages; scope decided in insights.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.audit import audit_record
from accounts.models import AuditEvent
from insights import exports
from insights.pages import statistics_page
from insights.selectors import statistics_root_for
from sheets.cells import XLSX_TYPE


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@require_GET
@login_required
def overview(request):
    page = statistics_page(request.user, request.GET)
    return render(request, "insights/overview.html", {"page": page})


@require_GET
@login_required
def export_table(request, table: str):
    page = statistics_page(request.user, request.GET)
    if page.generation is None:
        raise Http404("尚无统计数据。")
    found = page.table(table)
    scope = page.division.code if page.division is not None else f"org{page.organisation.pk}"
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=request.user, request=request,
                 target=f"statistics:{table}:{scope}:{page.year}:{page.period}")
    return _download(exports.table_xlsx(page, found), f"{table}-{scope}-{page.year}-{page.period}.xlsx")


def _annual(request):
    if statistics_root_for(request.user) is None:
        raise Http404("年度统计报表由审核和巡查抽查部门填报。")
    page = statistics_page(request.user, {**request.GET.dict(), "period": "year"})
    if page.generation is None:
        raise Http404("尚无统计数据。")
    return page, exports.annual_report(page)


@require_GET
@login_required
def annual_xlsx(request):
    page, report = _annual(request)
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=request.user, request=request,
                 target=f"statistics:annual:{page.division.code}:{page.year}")
    contact = request.user.display_name or request.user.get_username()
    return _download(exports.annual_xlsx(page, report, contact=contact),
                     f"annual-statistics-{page.division.code}-{page.year}.xlsx")


@require_GET
@login_required
def annual_print(request):
    page, report = _annual(request)
    return render(request, "insights/annual_print.html", {"page": page, "report": report})

"""Excel and print views for plans: thin wrappers around filings.spreadsheets."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts.models import Role
from filings.selectors import plans_visible_to
from filings.spreadsheets.knowledge_update import approved_plans_of_year, knowledge_update_workbook
from filings.spreadsheets.plan_filing_form import (
    PRINTABLE_STATES,
    filing_form_layout,
    plan_filing_form_workbook,
)
from filings.spreadsheets.plan_import import plans_import
from filings.spreadsheets.plan_template import plan_template_workbook
from sheets.cells import XLSX_TYPE


class PlanImportForm(forms.Form):
    file = forms.FileField(label="培训计划表（.xlsx）")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _organiser_only(user) -> None:
    if user.role != Role.ORGANISER or not user.organisation_id:
        raise PermissionDenied("只有培训组织单位经办人可以导入培训计划。")


@login_required
def plan_import_template(request):
    _organiser_only(request.user)
    return _xlsx(plan_template_workbook(), "培训计划导入模板.xlsx")


@login_required
def plan_import(request):
    _organiser_only(request.user)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            plans = plans_import(actor=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"已成功导入 {len(plans)} 个培训计划（草稿），请逐一核对后提交审核。")
            return redirect("filings:plan_list")
    return render(request, "filings/excel/plan_import.html", {"form": form, "errors": errors})


def _printable_plan(request, pk: int):
    plans = plans_visible_to(request.user).select_related("organiser", "authority")
    plan = get_object_or_404(plans.prefetch_related("teachers", "transitions"), pk=pk)
    if plan.state not in PRINTABLE_STATES:
        raise Http404("该计划尚未备案，不能打印备案表。")
    return plan


@login_required
def plan_filing_form_print(request, pk: int):
    plan = _printable_plan(request, pk)
    return render(request, "filings/excel/plan_filing_form.html",
                  {"plan": plan, "form": filing_form_layout(plan), "now": timezone.now()})


@login_required
def plan_filing_form_xlsx(request, pk: int):
    plan = _printable_plan(request, pk)
    return _xlsx(plan_filing_form_workbook(plan), f"培训计划备案表_{plan.filing_no}.xlsx")


def _chosen_year(request) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localtime().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 5 else this_year


@login_required
def knowledge_update_export(request):
    user = request.user
    if user.role != Role.REVIEWER or not user.organisation_id:
        raise PermissionDenied("只有人社部门等审核单位可以导出知识更新工程培训计划表。")
    year = _chosen_year(request)
    plans = approved_plans_of_year(user=user, year=year)
    content = knowledge_update_workbook(authority_name=user.organisation.name, year=year, plans=plans)
    return _xlsx(content, f"{year}年知识更新工程培训计划表.xlsx")

"""Bulk staff accounts: the template, the import (all or nothing), the staff list and deactivation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from access import staff_import as svc
from access.filters import StaffFilter
from access.registration_forms import StaffImportForm
from common.lists import list_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(user) -> None:
    if not svc.may_import(user):
        raise PermissionDenied("只有系统管理员和主管部门审核人员可以管理工作人员账号。")


@login_required
def staff_template(request):
    _require_importer(request.user)
    response = HttpResponse(svc.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "工作人员账号导入模板.xlsx")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    """批量开通账号: upload the filled template; every row is checked before any is imported."""
    _require_importer(request.user)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if form.is_valid():
        try:
            result = svc.staff_import(actor=request.user, content=form.cleaned_data["file"].read(), request=request)
        except svc.StaffImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, f"已开通 {len(result.users)} 个账号，首次登录链接已发送给各人。")
    return render(request, "access/staff_import.html",
                  {"form": form, "errors": errors, "result": result, "columns": svc.COLUMNS},
                  status=400 if errors else 200)


@login_required
def staff_list(request):
    _require_importer(request.user)
    staff = svc.staff_visible_to(request.user).order_by("organisation__division__path", "organisation__name",
                                                         "username", "pk")
    listing = list_page(request, staff, StaffFilter)
    return render(request, "access/staff_list.html", {"staff": listing.rows, "listing": listing, "no_export": True})


@login_required
@require_POST
def staff_deactivate(request, pk: int):
    _require_importer(request.user)
    user = get_object_or_404(svc.staff_visible_to(request.user), pk=pk)
    svc.staff_deactivate(actor=request.user, user=user, reason=request.POST.get("reason", ""), request=request)
    messages.success(request, f"已停用 {user} 的账号。")
    return redirect("accounts:staff_list")

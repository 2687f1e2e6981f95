"""学时认定申请 and 减免情形登记 pages: file, list, read, decide, resubmit, claim and release; bulk filing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.pii import mask_id_number
from common.lists import Column, export_xlsx, filtered, list_page, wants_export
from ledger import selectors
from ledger.filters import CircumstanceFilter, CreditApplicationFilter
from ledger.forms import BulkForm, CircumstanceForm, CreditForm, ResubmitForm, StaffForm
from ledger.models import ApplicationState
from ledger.services import applications as services
from ledger.services import bulk
from sheets.cells import XLSX_TYPE

FILERS = (Role.PROFESSIONAL, Role.EMPLOYER_HR)
RECORDERS = (Role.EMPLOYER_HR, Role.REVIEWER)
READERS = (Role.PROFESSIONAL, Role.EMPLOYER_HR, Role.REVIEWER, Role.ADMIN)


def _require(user, roles, message: str) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied(message)


def _model(kind: str):
    model = services.APPLICATION_MODELS.get(kind)
    if model is None:
        raise Http404("未知的申请类别。")
    return model


def _visible(request, kind: str, pk: int):
    return get_object_or_404(selectors.applications_visible_to(request.user, _model(kind)), pk=pk)


def _errors_into(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


APPLICATION_LISTS = {
    "credit": (services.CreditApplication, CreditApplicationFilter, "学时认定申请"),
    "circumstance": (services.CircumstanceApplication, CircumstanceFilter, "减免情形登记"),
}
APPLICATION_COLUMNS = [
    Column("申报时间", lambda a: a.filed_at),
    Column("姓名", lambda a: a.person.name),
    Column("身份证号码", lambda a: mask_id_number(a.person.id_number)),
    Column("事项", lambda a: a.kind_label),
    Column("项目名称", lambda a: getattr(a, "title", "")),
    Column("年度", lambda a: a.year),
    Column("审核部门", lambda a: str(a.authority)),
    Column("申报人", lambda a: str(a.filed_by)),
    Column("状态", lambda a: a.get_state_display()),
]


@login_required
def application_list(request):
    """我的学时认定申请 / 本单位申报 / 本部门受理: the credit applications or circumstance records in scope,
    searched, filtered, paged and exported (`?kind=credit|circumstance`)."""
    _require(request.user, READERS, "您的角色不能查看学时认定申请。")
    user = request.user
    kind = request.GET.get("kind") if request.GET.get("kind") in APPLICATION_LISTS else "credit"
    model, filter_class, label = APPLICATION_LISTS[kind]
    items = selectors.applications_visible_to(user, model).order_by("-filed_at", "-pk")
    if wants_export(request):
        _, rows = filtered(request, items, filter_class)
        return export_xlsx(rows, APPLICATION_COLUMNS, filename=f"{label}-{timezone.localdate():%Y%m%d}.xlsx",
                           title=label)
    listing = list_page(request, items, filter_class)
    context = {
        "kind": kind, "label": label, "listing": listing, "list_fixed": {"kind": kind}, "items": listing.rows,
        "can_apply": user.has_role(*FILERS), "can_record": user.has_role(*RECORDERS),
        "can_bulk": user.has_role(Role.EMPLOYER_HR),
    }
    return render(request, "ledger/application_list.html", context)


def _file_page(request, form_class, file, template: str, *, staff: bool):
    form = form_class(request.POST or None, request.FILES or None)
    staff_form = StaffForm(request.POST or None, prefix="person") if staff else None
    if request.method == "POST" and form.is_valid() and (staff_form is None or staff_form.is_valid()):
        who = staff_form.cleaned_data if staff_form else {}
        try:
            application = file(actor=request.user, data=form.data_object(), evidence=form.cleaned_data["evidence"],
                               **who)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, f"已提交，等待{application.authority}审核。")
            return redirect("ledger:application_detail", kind=_kind_of(application), pk=application.pk)
    return render(request, template, {"form": form, "staff_form": staff_form})


def _kind_of(application) -> str:
    return "credit" if isinstance(application, services.CreditApplication) else "circumstance"


@login_required
def credit_new(request):
    """申请学时认定: the professional for themself, employer HR for a staff member."""
    _require(request.user, FILERS, "只有专业技术人员本人或所在单位人事部门可以申请学时认定。")
    return _file_page(request, CreditForm, services.credit_file, "ledger/credit_form.html",
                      staff=request.user.role == Role.EMPLOYER_HR)


@login_required
def circumstance_new(request):
    """登记减免情形: employer HR or the authority."""
    _require(request.user, RECORDERS, "只有所在单位人事部门或审核部门可以登记减免情形。")
    return _file_page(request, CircumstanceForm, services.circumstance_file, "ledger/circumstance_form.html",
                      staff=True)


@login_required
def credit_bulk(request):
    """批量申报: the spreadsheet and one evidence PDF; every row's errors at once, nothing filed on any error."""
    _require(request.user, (Role.EMPLOYER_HR,), "只有用人单位人事经办人可以批量申报学时认定。")
    form, errors = BulkForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and form.is_valid():
        try:
            created = bulk.credits_import(actor=request.user, uploaded_file=form.cleaned_data["file"],
                                          evidence=form.cleaned_data["evidence"])
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"已提交 {len(created)} 项学时认定申请。")
            return redirect("ledger:application_list")
    return render(request, "ledger/credit_bulk.html", {"form": form, "errors": errors})


@login_required
def credit_bulk_template(request):
    _require(request.user, (Role.EMPLOYER_HR,), "只有用人单位人事经办人可以下载批量申报模板。")
    response = FileResponse(iter([bulk.template_bytes()]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "学时认定批量申报模板.xlsx")
    return response


@login_required
def application_detail(request, kind: str, pk: int):
    application = _visible(request, kind, pk)
    user = request.user
    context = {
        "a": application, "kind": kind, "transitions": application.transitions.select_related("actor"),
        "can_decide": application.state == ApplicationState.SUBMITTED and services.can_decide(application, user),
        "can_resubmit": application.state == ApplicationState.RETURNED and user.pk in (
            application.filed_by_id, application.person.user_id),
        "claimed_by": selectors.application_claimed_by(application), "resubmit_form": ResubmitForm(),
        "rules_name": selectors.rule_set_name(getattr(application, "rules_code", "")),
    }
    return render(request, "ledger/application_detail.html", context)


@login_required
def application_evidence(request, kind: str, pk: int):
    application = _visible(request, kind, pk)
    if not application.evidence:
        raise Http404("证明材料已按保存期限删除。")
    response = FileResponse(application.evidence.open("rb"), as_attachment=True,
                            filename=application.evidence_name or application.evidence.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


DECISIONS = {
    "approve": (services.application_approve, "已认定，学时已记入台账。", "已认定，减免情形已生效。"),
    "return": (services.application_return, "已退回申报人补正。", "已退回申报人补正。"),
    "reject": (services.application_reject, "已不予认定。", "已不予认定。"),
}


@login_required
@require_POST
def application_decide(request, kind: str, pk: int, decision: str):
    application = _visible(request, kind, pk)
    if decision not in DECISIONS:
        raise Http404("未知的审核操作。")
    action, credit_text, circumstance_text = DECISIONS[decision]
    try:
        action(application=application, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, credit_text if kind == "credit" else circumstance_text)
    return redirect("ledger:application_detail", kind=kind, pk=pk)


@login_required
@require_POST
def application_resubmit(request, kind: str, pk: int):
    application = _visible(request, kind, pk)
    form = ResubmitForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.application_resubmit(application=application, actor=request.user,
                                      evidence=form.cleaned_data.get("evidence"), note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已重新提交，等待审核。")
    return redirect("ledger:application_detail", kind=kind, pk=pk)


def _task_action(request, kind: str, pk: int, action, success: str):
    application = _visible(request, kind, pk)
    try:
        action(application=application, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("reviews:inbox")


@login_required
@require_POST
def application_claim(request, kind: str, pk: int):
    return _task_action(request, kind, pk, services.application_claim, "已认领，任务已移入“我的待办”。")


@login_required
@require_POST
def application_release(request, kind: str, pk: int):
    return _task_action(request, kind, pk, services.application_release, "已释放，任务已退回待认领队列。")

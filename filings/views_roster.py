"""培训花名册 pages: template download, upload (queued), upload status, confirmation, marked-up copy."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent
from common.actions import flash_error, run_service
from filings.models import RosterUpload
from filings.permissions import require_plan_organiser
from filings.roster.columns import MAX_FILE_BYTES
from filings.roster.markup import roster_marked_workbook
from filings.roster.services import can_upload_roster, require_upload_allowed
from filings.roster.template import roster_template_workbook
from filings.roster.uploads import roster_upload_confirm, roster_upload_create
from filings.selectors import plans_visible_to
from sheets.cells import XLSX_TYPE

ERRORS_SHOWN = 500
IN_PROGRESS = (RosterUpload.Status.PENDING, RosterUpload.Status.PARSING)


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=f"培训花名册（.xlsx，不超过 {MAX_FILE_BYTES // 1024 // 1024} MB）")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def mask_id_number(number: str) -> str:
    return f"{number[:6]}{'*' * 8}{number[-4:]}" if len(number) == 18 else number


def _upload_of(request, pk: int) -> RosterUpload:
    visible = plans_visible_to(request.user)
    return get_object_or_404(RosterUpload.objects.select_related("plan", "uploaded_by").filter(plan__in=visible),
                             pk=pk)


@login_required
def roster_detail(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    page = Paginator(plan.roster.all(), 200).get_page(request.GET.get("page"))
    for entry in page:
        entry.masked_id = mask_id_number(entry.id_number)
    context = {"plan": plan, "page": page, "uploads": plan.roster_uploads.select_related("uploaded_by")[:10],
               "can_upload": can_upload_roster(plan, request.user),
               "anomalies": plan.roster.exclude(anomaly="").count()}
    return render(request, "filings/roster/roster_detail.html", context)


@login_required
def roster_template(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return _xlsx(roster_template_workbook(plan), f"培训花名册模板_{plan.filing_no}.xlsx")


@login_required
def roster_upload(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    try:
        require_upload_allowed(plan, request.user)
    except ValidationError as problem:
        flash_error(request, problem)
        return redirect("roster:roster_detail", pk=plan.pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = roster_upload_create(plan=plan, actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ValidationError as problem:
            form.add_error("file", problem.messages)
        else:
            return redirect("roster:upload_status", pk=upload.pk)
    return render(request, "filings/roster/upload.html", {"plan": plan, "form": form})


@login_required
def upload_status(request, pk: int):
    upload = _upload_of(request, pk)
    context = {"upload": upload, "plan": upload.plan, "in_progress": upload.status in IN_PROGRESS,
               "is_owner": can_upload_roster(upload.plan, request.user),
               "percent": int(100 * upload.progress / upload.total_rows) if upload.total_rows else 0,
               "has_row_errors": any(e.get("row") for e in upload.errors),
               "errors_shown": upload.errors[:ERRORS_SHOWN]}
    return render(request, "filings/roster/upload_status.html", context)


@login_required
@require_POST
def upload_confirm(request, pk: int):
    upload = _upload_of(request, pk)
    return run_service(request, lambda: roster_upload_confirm(upload=upload, actor=request.user),
                       success="已确认，正在导入花名册。", then="roster:upload_status", then_args=(upload.pk,))


@login_required
def upload_marked(request, pk: int):
    upload = _upload_of(request, pk)
    require_plan_organiser(request.user, upload.plan, message="标注文件含完整身份证号码，只有上传单位的经办人可以下载。")
    if upload.status != RosterUpload.Status.FAILED or not any(e.get("row") for e in upload.errors):
        raise Http404("该上传没有可标注的错误。")
    with upload.file.open("rb") as handle:
        content = handle.read()
    try:
        marked = roster_marked_workbook(content, upload.errors)
    except ValidationError as problem:
        raise Http404("；".join(problem.messages)) from problem
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=request.user, request=request,
                 target=f"花名册错误标注 {upload.plan.filing_no}", upload_id=upload.pk)
    return _xlsx(marked, f"花名册错误标注_{upload.plan.filing_no}.xlsx")

"""Training report pages: checklist, attachment upload and scoped download, submission."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.actions import run_service
from filings import reports
from filings.models import Attachment, AttachmentKind, PlanState
from filings.permissions import can_decide, is_plan_organiser
from filings.selectors import plans_visible_to

FILE_LABEL = "文件（PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB）"


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=AttachmentKind.choices)
    file = forms.FileField(label=FILE_LABEL)


class ReplacementForm(forms.Form):
    replacement = forms.FileField(label=FILE_LABEL)  # not "file": the page's upload form has that one


@login_required
def report_detail(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user).prefetch_related("attachments__uploaded_by"), pk=pk)
    attachments = reports.attachments_in_checklist_order(plan, plan.attachments.all())
    present = {a.kind for a in attachments}
    context = {
        "plan": plan,
        "report": getattr(plan, "report", None),
        "attachments": attachments,
        "due_date": reports.report_due_date(plan),
        "report_period": reports.report_period_words(plan),
        "checklist": [(AttachmentKind(k).label, k in present) for k in reports.required_attachments(plan)],
        "roster_count": plan.roster.count(),
        "is_owner": is_plan_organiser(request.user, plan),
        "can_upload": is_plan_organiser(request.user, plan) and plan.state in reports.UPLOAD_STATES,
        "can_submit": is_plan_organiser(request.user, plan)
        and plan.state in (PlanState.AWAITING_REPORT, PlanState.REPORT_RETURNED),
        "can_decide": can_decide(plan, request.user),
        "form": AttachmentForm(),
        "now": timezone.now(),
    }
    return render(request, "filings/reports/report_detail.html", context)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    if not is_plan_organiser(request.user, plan):
        raise PermissionDenied("只有本计划培训组织单位的经办人可以上传培训报告材料。")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择材料类别和要上传的文件。")
        return redirect("reports:report_detail", pk=pk)
    return run_service(request, lambda: reports.report_attachment_add(
        plan=plan, actor=request.user, kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"]),
        success="材料已上传。", then="reports:report_detail", then_args=(pk,))


def _owned_attachment(request, pk: int) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.filter(plan__in=plans_visible_to(request.user).values("pk")).select_related("plan"), pk=pk
    )
    if not is_plan_organiser(request.user, attachment.plan):
        raise PermissionDenied("只有本计划培训组织单位的经办人可以删除或更换培训报告材料。")
    return attachment


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = _owned_attachment(request, pk)
    return run_service(request, lambda: reports.report_attachment_delete(attachment=attachment, actor=request.user),
                       success=lambda a: f"已删除材料“{a.original_name}”。", then="reports:report_detail",
                       then_args=(attachment.plan_id,))


@login_required
@require_POST
def attachment_replace(request, pk: int):
    attachment = _owned_attachment(request, pk)
    form = ReplacementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择用来替换的文件。")
        return redirect("reports:report_detail", pk=attachment.plan_id)
    return run_service(request, lambda: reports.report_attachment_replace(
        attachment=attachment, actor=request.user, uploaded_file=form.cleaned_data["replacement"]),
        success=lambda a: f"已更换为“{a.original_name}”。", then="reports:report_detail",
        then_args=(attachment.plan_id,))


@login_required
@require_POST
def report_submit(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    def submitted(report) -> str:
        late = f"（逾期 {report.late_days} 天）" if report.late_days else ""
        return f"培训情况报告已提交{late}，等待审核部门审核。"

    return run_service(request, lambda: reports.report_submit(plan=plan, actor=request.user), success=submitted,
                       then="reports:report_detail", then_args=(pk,))


@login_required
def attachment_download(request, pk: int):
    """Only users who can see the plan get the file; everyone else gets 404."""
    attachment = get_object_or_404(
        Attachment.objects.filter(plan__in=plans_visible_to(request.user).values("pk")), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Spot-check pages: thin views over reviews.spotchecks services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.selectors import AUTHORITY_ROLES
from common.actions import flash_error
from common.lists import Column, export_xlsx, filtered, list_page, wants_export
from reviews.models import InspectorAssignment, RedrawRequest, SpotCheckSelection
from reviews.spotchecks import draws, forms, inspections, inspectors, selectors
from reviews.spotchecks.algorithm import ALGORITHM_VERSION
from reviews.spotchecks.filters import CampaignFilter, PublishedCampaignFilter
from reviews.spotchecks.published import ALGORITHM_RULES_ZH


def _require_authority(user) -> None:
    if user.role not in AUTHORITY_ROLES:
        raise PermissionDenied("只有审核人员和巡查抽查人员可以查看抽查。")


def _run(request, action, success: str) -> bool:
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        flash_error(request, error)
        return False
    messages.success(request, success)
    return True


def _campaign(request, pk):
    return get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)


def _selection(request, pk) -> SpotCheckSelection:
    selection = get_object_or_404(SpotCheckSelection.objects.select_related("plan__organiser", "draw__campaign"),
                                  pk=pk)
    # An inspector drawn from a county below the campaign's authority opens the trainings assigned to them.
    if not selectors.is_assigned(selection, request.user):
        _campaign(request, selection.draw.campaign_id)
    return selection


CAMPAIGN_COLUMNS = [
    Column("批次名称", lambda c: c.name),
    Column("组织抽查部门", lambda c: c.authority.name),
    Column("范围", lambda c: c.division.name),
    Column("年度", lambda c: c.year),
    Column("状态", lambda c: c.get_state_display()),
    Column("创建时间", lambda c: c.created_at),
]


@login_required
def campaign_list(request):
    _require_authority(request.user)
    campaigns = selectors.campaigns_visible_to(request.user).order_by("-created_at", "-pk")
    if wants_export(request):
        _, rows = filtered(request, campaigns, CampaignFilter)
        return export_xlsx(rows, CAMPAIGN_COLUMNS, filename="抽查批次.xlsx", title="抽查批次")
    listing = list_page(request, campaigns, CampaignFilter)
    return render(request, "reviews/spotchecks/campaign_list.html", {"campaigns": listing.rows, "listing": listing})


@login_required
def campaign_create(request):
    if request.user.role != Role.INSPECTOR:
        raise PermissionDenied("只有巡查抽查人员可以创建抽查批次。")
    form = forms.CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign, seed = draws.campaign_create(actor=request.user, data=form.cleaned_data,
                                                   seed=form.cleaned_data["seed"])
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        else:
            messages.warning(request, f"抽查批次已创建。随机种子：{seed}（仅显示这一次，请密封保存，抽取时公开）。"
                                      f"已公布的承诺值：{campaign.seed_commitment}")
            return redirect("spotchecks:campaign_detail", pk=campaign.pk)
    return render(request, "reviews/spotchecks/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    selections = selectors.current_selections(campaign).prefetch_related("assignments__inspector")
    context = {
        "campaign": campaign, "draws": campaign.draws.select_related("drawn_by", "approved_by"),
        "selections": selections, "requests": campaign.redraw_requests.select_related("requested_by", "approved_by"),
        "is_inspector": selectors.acts_for_authority(request.user, campaign),
    }
    return render(request, "reviews/spotchecks/campaign_detail.html", context)


@login_required
@require_POST
def campaign_draw(request, pk: int):
    campaign = _campaign(request, pk)
    form = forms.SeedForm(request.POST)
    if form.is_valid():
        _run(request, lambda: draws.campaign_draw(campaign=campaign, actor=request.user,
                                                  seed=form.cleaned_data["seed"].strip()), "已抽取，检查人员已随机指派。")
    return redirect("spotchecks:campaign_detail", pk=pk)


@login_required
@require_POST
def redraw_request(request, pk: int):
    campaign = _campaign(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写重新抽取的理由。")
        return redirect("spotchecks:campaign_detail", pk=pk)
    try:
        _, seed = draws.redraw_request(campaign=campaign, actor=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        flash_error(request, error)
    else:
        messages.warning(request, f"已申请重新抽取，待另一名人员批准。新的随机种子：{seed}（仅显示这一次，请密封保存）。")
    return redirect("spotchecks:campaign_detail", pk=pk)


@login_required
@require_POST
def redraw_approve(request, pk: int):
    redraw = get_object_or_404(RedrawRequest, pk=pk)
    _campaign(request, redraw.campaign_id)
    _run(request, lambda: draws.redraw_approve(request=redraw, actor=request.user), "已批准重新抽取。")
    return redirect("spotchecks:campaign_detail", pk=redraw.campaign_id)


@login_required
def selection_detail(request, pk: int):
    selection = _selection(request, pk)
    form = forms.InspectionForm(request.POST or None, plan=selection.plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(request, lambda: inspections.inspection_record(
                selection=selection, actor=request.user, checklist=form.checklist(), findings=data["findings"],
                outcome=data["outcome"], violation_kind=data["violation_kind"],
                rectify_deadline=data["rectify_deadline"], affected_ids=form.affected_ids()), "检查情况已录入。"):
            return redirect("spotchecks:selection_detail", pk=pk)
    inspection = getattr(selection, "inspection", None)
    labels = dict(inspections.checklist_for(selection.plan.mode))
    checklist_rows = [(labels.get(code, code), inspections.RESULTS.get(item.get("result"), item.get("result")),
                       item.get("note", "")) for code, item in (inspection.checklist.items() if inspection else [])]
    context = {
        "selection": selection, "form": form, "inspection": inspection, "checklist_rows": checklist_rows,
        "assignments": selection.assignments.select_related("inspector", "assigned_by", "ended_by"),
        "evidence": selection.evidence.all(), "is_assigned": selectors.is_assigned(selection, request.user),
        "pool": selectors.inspector_pool(selection.draw.campaign.authority),
    }
    return render(request, "reviews/spotchecks/selection_detail.html", context)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    selection = _selection(request, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        _run(request, lambda: inspections.evidence_upload(
            selection=selection, actor=request.user, file=form.cleaned_data["file"],
            checklist_item=form.cleaned_data["checklist_item"]), "证据已上传。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("spotchecks:selection_detail", pk=pk)


@login_required
@require_POST
def assignment_reassign(request, pk: int):
    assignment = get_object_or_404(InspectorAssignment, pk=pk)
    selection = _selection(request, assignment.selection_id)
    form = forms.ReassignForm(request.POST)
    if form.is_valid():
        new = get_object_or_404(User, pk=form.cleaned_data["inspector"])
        _run(request, lambda: inspectors.assignment_reassign(
            assignment=assignment, actor=request.user, new_inspector=new, reason=form.cleaned_data["reason"]),
            "检查人员已调整。")
    else:
        messages.error(request, "请选择新检查人员并填写理由。")
    return redirect("spotchecks:selection_detail", pk=selection.pk)


@login_required
@require_POST
def inspection_confirm(request, pk: int):
    selection = _selection(request, pk)
    if not hasattr(selection, "inspection"):
        raise Http404("尚未录入检查情况。")
    _run(request, lambda: inspections.inspection_confirm(inspection=selection.inspection, actor=request.user),
         "检查结论已确认。")
    return redirect("spotchecks:selection_detail", pk=pk)


@login_required
@require_POST
def results_approve(request, pk: int):
    campaign = _campaign(request, pk)
    _run(request, lambda: inspections.campaign_approve_results(campaign=campaign, actor=request.user),
         "抽查结果已审定，公开页面已发布。")
    return redirect("spotchecks:campaign_detail", pk=pk)


def public_list(request):
    """一公开: campaigns whose results are approved. No login."""
    campaigns = selectors.published_campaigns().order_by("-results_approved_at", "-pk")
    listing = list_page(request, campaigns, PublishedCampaignFilter)
    return render(request, "reviews/spotchecks/public_list.html", {"campaigns": listing.rows, "listing": listing,
                                                                    "no_export": True})


def public_detail(request, pk: int):
    campaign = get_object_or_404(selectors.published_campaigns(), pk=pk)
    context = {
        "campaign": campaign, "draws": campaign.draws.order_by("number"),
        "selections": selectors.current_selections(campaign),
        "rules": ALGORITHM_RULES_ZH, "algorithm_version": ALGORITHM_VERSION,
    }
    return render(request, "reviews/spotchecks/public_detail.html", context)


def public_snapshot(request, pk: int, number: int):
    """The frozen inputs and result of one draw, as JSON, so that anyone can recompute it."""
    campaign = get_object_or_404(selectors.published_campaigns(), pk=pk)
    draw = get_object_or_404(campaign.draws, number=number)
    data = {field: getattr(draw, field) for field in (
        "number", "algorithm_version", "parameters", "population", "population_hash", "excluded", "seed",
        "seed_commitment", "selection", "selection_hash", "reason", "superseded")}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})

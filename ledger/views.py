"""Ledger pages: a professional's own hours; the authority's transmission batches and amendments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from common.actions import run_service
from ledger import selectors, services, transmission
from ledger.models import AmendmentRequest
from rules.cards.explain import explain
from rules.eligibility import LEVELS
from rules.engine import Review


@login_required
def my_hours(request):
    """我的学时: year by year, by subject and source, with each entry's training and authority."""
    if request.user.role != Role.PROFESSIONAL:
        raise PermissionDenied("只有专业技术人员可以查看本人学时。")
    person = selectors.person_of(request.user)
    context = {"person": person, "years": selectors.ledger_for(person) if person else []}
    if person is not None:
        context.update({
            "circumstances": selectors.circumstances_of(person), "pending": selectors.pending_applications(person),
            "verdicts": verdicts_for(person, timezone.localdate()),
        })
    return render(request, "ledger/my_hours.html", context)


def verdicts_for(person, today) -> list:
    """The verdict with its explanation for every review kind and level the eligibility check knows
    (rules.eligibility.LEVELS; a kind without levels once, with none), under the rules of the employer's
    division."""
    region = selectors.person_region(person)
    return [explain(person=person, review=Review(kind=kind, level=level, date=today, region=region))
            for kind, levels in LEVELS.items() for level in (levels or (None,))]


def _reviewer_only(user):
    if user.role != Role.REVIEWER or not user.organisation_id:
        raise PermissionDenied("只有核定部门的审核人员可以办理数据报送。")


@login_required
def batch_list(request):
    _reviewer_only(request.user)
    context = {
        "batches": selectors.batches_visible_to(request.user).prefetch_related("entries")[:200],
        "pending": transmission.pending_entries(request.user.organisation).count(),
    }
    return render(request, "ledger/batch_list.html", context)


@login_required
@require_POST
def batch_create(request):
    _reviewer_only(request.user)
    return run_service(request, lambda: transmission.batch_create(authority=request.user.organisation,
                                                                  actor=request.user),
                       success=lambda b: f"已生成报送批次 {b.identifier}，共 {b.entries.count()} 条记录。",
                       then="ledger:batch_list")


@login_required
def batch_download(request, pk: int, fmt: str):
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=pk)
    if fmt not in transmission.EXPORTS:
        raise Http404("不支持的导出格式。")
    content, filename, content_type = transmission.batch_download(
        batch=batch, actor=request.user, fmt=fmt, request=request
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def batch_mark_sent(request, pk: int):
    batch = get_object_or_404(selectors.batches_visible_to(request.user), pk=pk)
    if transmission.batch_mark_sent(batch=batch, actor=request.user):
        messages.success(request, f"批次 {batch.identifier} 已标记为已报送。")
    else:
        messages.info(request, f"批次 {batch.identifier} 此前已报送，未重复报送。")
    return redirect("ledger:batch_list")


@login_required
def amendment_list(request):
    if request.user.role not in (Role.REVIEWER, Role.ORGANISER):
        raise PermissionDenied("您的角色不能查看学时更正申请。")
    requests = list(selectors.amendments_visible_to(request.user)[:200])
    for item in requests:
        item.decidable = (item.status == AmendmentRequest.Status.PENDING and item.requested_by_id != request.user.pk
                          and services.can_decide_amendment(item.entry, request.user))
    return render(request, "ledger/amendment_list.html", {"requests": requests})


@login_required
@require_POST
def amendment_request(request, pk: int):
    entry = get_object_or_404(selectors.entries_visible_to(request.user), pk=pk)
    if not services.can_request_amendment(entry, request.user):
        raise PermissionDenied("只有培训组织单位或核定部门可以申请更正该学时记录。")
    raw = request.POST.get("new_hours", "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
        messages.error(request, "更正后学时应为不超过 6 位的非负整数。")
        return redirect("ledger:amendment_list")
    return run_service(request, lambda: services.amendment_request(
        entry=entry, actor=request.user, new_hours=int(raw), reason=request.POST.get("reason", "")),
        success="更正申请已提交，等待核定部门审批。", then="ledger:amendment_list")


@login_required
@require_POST
def amendment_decide(request, pk: int, decision: str):
    item = get_object_or_404(selectors.amendments_visible_to(request.user), pk=pk)
    reason = request.POST.get("reason", "")
    decide = {"approve": services.amendment_approve, "reject": services.amendment_reject}.get(decision)
    if decide is None:
        raise Http404("未知的审批操作。")
    return run_service(request, lambda: decide(request=item, actor=request.user, reason=reason),
                       success="已批准更正，台账已追加冲销和更正记录。" if decision == "approve" else "已不予更正。",
                       then="ledger:amendment_list")

"""Ledger pages: a professional's own hours; the authority's transmission batches and amendments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.pii import mask_id_number
from common.actions import run_service
from common.lists import Column, export_xlsx, filtered, list_page, wants_export
from ledger import selectors, services, transmission
from ledger.filters import AmendmentFilter, BatchFilter, PersonFilter
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


AMENDMENT_COLUMNS = [
    Column("申请时间", lambda r: r.requested_at),
    Column("姓名", lambda r: r.entry.person.name),
    Column("身份证号码", lambda r: mask_id_number(r.entry.person.id_number)),
    Column("备案编号", lambda r: r.entry.plan.filing_no if r.entry.plan else ""),
    Column("培训名称", lambda r: r.entry.plan.title if r.entry.plan else ""),
    Column("原学时", lambda r: r.entry.hours),
    Column("更正后学时", lambda r: r.new_hours),
    Column("理由", lambda r: r.reason),
    Column("申请人", lambda r: str(r.requested_by)),
    Column("状态", lambda r: r.get_status_display()),
    Column("审批意见", lambda r: r.decision_reason),
]

BATCH_COLUMNS = [
    Column("批次号", lambda b: b.identifier),
    Column("记录数", lambda b: b.entry_count),
    Column("生成人", lambda b: str(b.created_by)),
    Column("生成时间", lambda b: b.created_at),
    Column("报送时间", lambda b: b.sent_at),
]


def _reviewer_only(user):
    if user.role != Role.REVIEWER or not user.organisation_id:
        raise PermissionDenied("只有核定部门的审核人员可以办理数据报送。")


@login_required
def batch_list(request):
    _reviewer_only(request.user)
    batches = selectors.batches_visible_to(request.user).annotate(entry_count=Count("entries")).order_by(
        "-created_at", "-pk")
    if wants_export(request):
        _, rows = filtered(request, batches, BatchFilter)
        return export_xlsx(rows, BATCH_COLUMNS, filename="学时报送批次.xlsx", title="报送批次")
    listing = list_page(request, batches, BatchFilter)
    context = {
        "batches": listing.rows, "listing": listing,
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
    amendments = selectors.amendments_visible_to(request.user).order_by("-requested_at", "-pk")
    if wants_export(request):
        _, rows = filtered(request, amendments, AmendmentFilter)
        return export_xlsx(rows, AMENDMENT_COLUMNS, filename="学时更正申请.xlsx", title="学时更正申请")
    listing = list_page(request, amendments, AmendmentFilter)
    requests = list(listing.rows)
    for item in requests:
        item.decidable = (item.status == AmendmentRequest.Status.PENDING and item.requested_by_id != request.user.pk
                          and services.can_decide_amendment(item.entry, request.user))
    return render(request, "ledger/amendment_list.html", {"requests": requests, "listing": listing})


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


PERSON_COLUMNS = [
    Column("姓名", lambda p: p.name),
    Column("身份证号码", lambda p: mask_id_number(p.id_number)),
    Column("性别", lambda p: p.get_sex_display()),
    Column("工作单位", lambda p: p.employer),
]


def _lookup_only(user):
    if not selectors.can_look_up_persons(user):
        raise PermissionDenied("只有审核人员和职称评审办公室可以查询专业技术人员学时。")


@login_required
def person_list(request):
    """查询专业技术人员: by full ID number or name, within the user's scope; ID numbers masked."""
    _lookup_only(request.user)
    persons = selectors.persons_visible_to(request.user).order_by("name", "pk")
    if not request.GET.get("q", "").strip():
        persons = persons.none()  # nothing is listed until the user searches for someone
    if wants_export(request):
        _, rows = filtered(request, persons, PersonFilter)
        return export_xlsx(rows, PERSON_COLUMNS, filename="专业技术人员查询结果.xlsx", title="查询结果")
    listing = list_page(request, persons, PersonFilter)
    return render(request, "ledger/person_list.html", {"listing": listing, "searched": bool(request.GET.get("q"))})


@login_required
def person_detail(request, pk: int):
    """One person's ledger; the full ID number only for holders of the permission, audited each view."""
    _lookup_only(request.user)
    person = get_object_or_404(selectors.persons_visible_to(request.user), pk=pk)
    return render(request, "ledger/person_detail.html", {"person": person, "years": selectors.ledger_for(person)})

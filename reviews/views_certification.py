"""Report review and hours certification pages (the whole plan at once, adjustments per trainee)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from filings.models import PlanState
from filings.permissions import can_decide
from filings.selectors import plans_visible_to
from ledger.models import HourEntry
from ledger.selectors import entries_of_plan
from ledger.services import can_request_amendment
from reviews import certification


def _rows_with_entries(plan, user):
    by_row: dict[int, list] = {}
    for entry in entries_of_plan(plan):
        entry.amendable = (entry.kind == HourEntry.Kind.CREDIT and not entry.is_reversed
                           and can_request_amendment(entry, user))
        by_row.setdefault(entry.roster_entry_id, []).append(entry)
    rows = list(plan.roster.order_by("seq"))
    for row in rows:
        row.entries = by_row.get(row.pk, [])
    return rows


@login_required
def plan_certification(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    decider = can_decide(plan, request.user)
    context = {
        "plan": plan,
        "rows": _rows_with_entries(plan, request.user),
        "can_review_report": decider and plan.state == PlanState.REPORTED,
        "can_certify": plan.state == PlanState.REPORT_ACCEPTED and certification.can_certify(plan, request.user),
        "certified": plan.state == PlanState.CERTIFIED,
    }
    return render(request, "reviews/certification/plan_certification.html", context)


def _act(request, pk, action, success):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    try:
        action(plan)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("certification:plan_certification", pk=pk)


@login_required
@require_POST
def report_accept(request, pk: int):
    return _act(request, pk, lambda p: certification.report_accept(plan=p, actor=request.user),
                "培训情况报告已受理，请核定学时。")


@login_required
@require_POST
def report_return(request, pk: int):
    reason = request.POST.get("reason", "")
    return _act(request, pk, lambda p: certification.report_return(plan=p, actor=request.user, reason=reason),
                "培训情况报告已退回组织单位修改。")


def _adjustments_from(post, plan) -> dict[int, tuple[int, str]]:
    """Only rows whose hours field differs from the roster count as adjustments."""
    adjustments = {}
    for row in plan.roster.all():
        raw = post.get(f"hours_{row.pk}", "").strip()
        if raw == "" or raw == str(row.hours):
            continue
        try:
            hours = int(raw)
        except ValueError:
            raise ValidationError(f"第 {row.seq} 号 {row.name}：核定学时应为整数，现为“{raw}”。") from None
        adjustments[row.pk] = (hours, post.get(f"reason_{row.pk}", ""))
    return adjustments


@login_required
@require_POST
def certify(request, pk: int):
    def action(plan):
        certification.certify_hours(plan=plan, actor=request.user, adjustments=_adjustments_from(request.POST, plan))

    return _act(request, pk, action, "学时已核定，已记入学时台账。")

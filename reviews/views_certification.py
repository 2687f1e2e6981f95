"""Report review and hours certification pages: the roster paged, adjustments saved for the changed rows only
(or from a spreadsheet), the certification itself a background task whose progress the page shows."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from common.actions import run_service
from filings.models import PlanState
from filings.permissions import can_decide
from filings.selectors import plans_visible_to
from ledger.models import HourEntry
from ledger.selectors import entries_of_plan
from ledger.services import can_request_amendment
from reviews import certification, certification_runs, certification_sheet
from reviews.certification_runs import Change
from reviews.plan_tasks import PLAN_TASK_FLOWS
from workflows.services import task_holder

PAGE_SIZE = 100
FORM_LINES = 5


def _page_rows(plan, user, page):
    """One page of the roster, each row with its pending adjustment and (once certified) its ledger rows."""
    roster = plan.roster.select_related("certification_adjustment").order_by("seq")
    if page.get("adjusted"):
        roster = roster.filter(Q(certification_adjustment__isnull=False) | ~Q(adjustment_reason=""))
    rows = Paginator(roster, PAGE_SIZE).get_page(page.get("page"))
    if plan.state == PlanState.CERTIFIED:
        by_row: dict[int, list] = {}
        for entry in entries_of_plan(plan, roster_entries=[row.pk for row in rows]):
            entry.amendable = (entry.kind == HourEntry.Kind.CREDIT and not entry.is_reversed
                               and can_request_amendment(entry, user))
            by_row.setdefault(entry.roster_entry_id, []).append(entry)
        for row in rows:
            row.entries = by_row.get(row.pk, [])
    return rows


def _task_holder(plan):
    """Who holds the plan's report review or certification task (a colleague's decision is refused)."""
    flow = PLAN_TASK_FLOWS.get(plan.state)
    return task_holder(plan, flow=flow) if flow else None


@login_required
def plan_certification(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    decider = can_decide(plan, request.user)
    run = plan.certification_runs.first()
    running = run is not None and run.status in certification_runs.OPEN
    context = {
        "plan": plan,
        "rows": _page_rows(plan, request.user, request.GET),
        "only_adjusted": bool(request.GET.get("adjusted")),
        "adjustment_count": plan.certification_adjustments.count(),
        "run": run,
        "running": running,
        "form_lines": range(FORM_LINES),
        "can_review_report": decider and plan.state == PlanState.REPORTED,
        "can_certify": (plan.state == PlanState.REPORT_ACCEPTED and certification.can_certify(plan, request.user)
                        and not running),
        "certified": plan.state == PlanState.CERTIFIED,
        "task_holder": _task_holder(plan),
    }
    return render(request, "reviews/certification/plan_certification.html", context)


def _act(request, pk, action, success):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return run_service(request, lambda: action(plan), success=lambda outcome: success or outcome,
                       then="certification:plan_certification", then_args=(pk,))


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


def _changes_from(post) -> list[Change]:
    """The filled lines of the adjustment form: only the rows the reviewer changes are posted."""
    changes = []
    for line in range(FORM_LINES):
        seq, hours, reason = (post.get(f"{field}_{line}", "").strip() for field in ("seq", "hours", "reason"))
        if seq or hours or reason:
            changes.append(Change(seq=seq, hours=hours, reason=reason, where=f"第 {line + 1} 条",
                                  columns=(" 序号", " 核定学时", " 调整理由")))
    return changes


@login_required
@require_POST
def adjustments_save(request, pk: int):
    def action(plan):
        count = certification_runs.certification_adjustments_save(plan=plan, actor=request.user,
                                                                  changes=_changes_from(request.POST))
        return f"已保存调整（本次 {count} 人；与花名册相同的学时视为撤销调整）。核定前仍可修改。"

    return _act(request, pk, action, None)


@login_required
@require_POST
def adjustments_upload(request, pk: int):
    def action(plan):
        count = certification_sheet.certification_adjustments_upload(plan=plan, actor=request.user,
                                                                     uploaded_file=request.FILES.get("file"))
        return f"学时调整表已导入：{count} 人调整了核定学时。"

    return _act(request, pk, action, None)


@login_required
@require_POST
def certify(request, pk: int):
    return _act(request, pk, lambda p: certification_runs.certification_run_start(plan=p, actor=request.user),
                "已提交核定，正在后台核定全部学时，本页会显示进度。")

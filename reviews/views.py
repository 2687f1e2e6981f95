from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from common.actions import run_service
from common.lists import Column, export_xlsx, filtered, list_page, wants_export
from common.task_routing import due_moment
from filings import services
from filings.selectors import plans_visible_to
from reviews.inbox import ORDERINGS, InboxFilter, kind_code
from workflows import services as task_services
from workflows.selectors import authority_tasks_for
from workflows.task_kinds import task_kind


def _rows(tasks, now):
    """What a row shows besides the task: its kind, routing data and deadline (no query per row)."""
    rows = list(tasks)
    for task in rows:
        task.kind, task.kind_label = kind_code(task), _kind_label(task)
        task.info = task.process.data or {}
        task.due_at = due_moment(task.due)
        task.overdue = task.due_at is not None and task.due_at <= now
    return rows


def _kind_label(task) -> str:
    kind = task_kind(kind_code(task))
    return kind.label if kind else task.process.flow_class.process_title


INBOX_COLUMNS = [
    Column("类别", _kind_label),
    Column("事项", lambda t: t.process.data.get("title", "")),
    Column("备案编号", lambda t: t.process.data.get("ref", "")),
    Column("单位", lambda t: t.process.data.get("organiser", "")),
    Column("等待自", lambda t: t.created),
    Column("截止时间", lambda t: due_moment(t.due)),
    Column("处理人", lambda t: str(t.owner) if t.owner_id else ""),
]


@login_required
def inbox(request):
    """审核待办: every task waiting for the reviewer's authority, of every kind; filter, sort and page."""
    if request.user.role != Role.REVIEWER:
        raise PermissionDenied("只有审核人员可以查看审核待办。")
    now = timezone.now()
    tasks = authority_tasks_for(request.user).order_by(*ORDERINGS["due"])
    if wants_export(request):
        _, rows = filtered(request, tasks, InboxFilter)
        return export_xlsx(rows, INBOX_COLUMNS, filename=f"审核待办-{timezone.localdate():%Y%m%d}.xlsx", title="审核待办")
    listing = list_page(request, tasks, InboxFilter)
    return render(request, "reviews/inbox.html", {"listing": listing, "rows": _rows(listing.rows, now), "now": now})


def _task_action(request, pk, action, success):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return run_service(request, lambda: action(plan=plan, actor=request.user), success=success,
                       then="reviews:inbox", follow_next=True)


@login_required
@require_POST
def claim(request, pk: int):
    return _task_action(request, pk, services.plan_claim, "已认领，任务已移入“我的待办”。")


@login_required
@require_POST
def release(request, pk: int):
    return _task_action(request, pk, services.plan_release, "已释放，任务已退回待认领队列。")


@login_required
@require_POST
def task_claim(request, pk: int):
    """认领 a task of any kind from the inbox (the service checks it is the reviewer's authority's)."""
    return run_service(request, lambda: task_services.inbox_task_claim(task_id=pk, actor=request.user),
                       success="已认领，任务已移入“我的待办”。", then="reviews:inbox", follow_next=True)


@login_required
@require_POST
def task_release(request, pk: int):
    return run_service(request, lambda: task_services.inbox_task_release(task_id=pk, actor=request.user),
                       success="已释放，任务已退回待认领队列。", then="reviews:inbox", follow_next=True)

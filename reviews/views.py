from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from common.actions import run_service
from filings import services
from filings.selectors import plans_visible_to
from ledger.selectors import review_inbox_applications
from reviews import late_exceptions
from workflows.selectors import review_inbox_for, review_pool_for


@login_required
def inbox(request):
    """审核待办: my claimed tasks, and the authority's queue to claim from, soonest training first."""
    if request.user.role != Role.REVIEWER:
        raise PermissionDenied("只有审核人员可以查看审核待办。")
    context = {
        "mine": review_inbox_for(request.user)[:200],
        "pool": review_pool_for(request.user)[:200],
        "late_requests": late_exceptions.queue_for(request.user)[:200],
        "now": timezone.now(),
    }
    context["applications_mine"], context["applications_pool"] = review_inbox_applications(request.user)
    return render(request, "reviews/inbox.html", context)


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

"""Late-filing exception requests: the organiser asks from the plan page; reviewers claim and decide in the inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from filings.selectors import plans_visible_to
from reviews import late_exceptions
from reviews.models import LateExceptionRequest


def _run(request, action, success, next_page):
    try:
        action()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
    return next_page


@login_required
@require_POST
def late_request(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return _run(request, lambda: late_exceptions.late_exception_request(
        plan=plan, actor=request.user, reason=request.POST.get("reason", "")),
        "已提交逾期备案特批申请，请等待审核部门审批。", redirect("filings:plan_detail", pk=plan.pk))


def _visible_request(request, pk: int) -> LateExceptionRequest:
    return get_object_or_404(LateExceptionRequest.objects.filter(plan__in=plans_visible_to(request.user)), pk=pk)


@login_required
@require_POST
def late_claim(request, pk: int):
    item = _visible_request(request, pk)
    return _run(request, lambda: late_exceptions.late_exception_claim(request=item, actor=request.user),
                "已认领该逾期备案特批申请。", redirect("reviews:inbox"))


@login_required
@require_POST
def late_release(request, pk: int):
    item = _visible_request(request, pk)
    return _run(request, lambda: late_exceptions.late_exception_release(request=item, actor=request.user),
                "已释放，申请已退回待认领。", redirect("reviews:inbox"))


@login_required
@require_POST
def late_decide(request, pk: int):
    item = _visible_request(request, pk)
    decision = request.POST.get("decision")
    grant = {"grant": True, "refuse": False}.get(decision)
    return _run(request, lambda: late_exceptions.late_exception_decide(
        request=item, actor=request.user, grant=grant, reason=request.POST.get("reason", "")),
        "已批准逾期备案，组织单位现在可以提交该计划。" if decision == "grant" else "已不予批准逾期备案。",
        redirect("reviews:inbox"))

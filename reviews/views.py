from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Role
from filings.selectors import review_queue_for


@login_required
def inbox(request):
    """审核待办: plans this reviewer's authority must decide, soonest training first."""
    if request.user.role != Role.REVIEWER:
        raise PermissionDenied("只有审核人员可以查看审核待办。")
    plans = review_queue_for(request.user)[:200]
    return render(request, "reviews/inbox.html", {"plans": plans, "now": timezone.now()})

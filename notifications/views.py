"""Notification centre: messages, mark as read, deadline radar, channel preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.actions import run_service
from notifications import selectors, services


@login_required
def inbox(request):
    page = Paginator(selectors.notifications_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread": selectors.unread_count_for(user=request.user)})


@login_required
@require_POST
def mark_read(request, pk: int):
    return run_service(request, lambda: services.notification_mark_read(user=request.user, notification_id=pk),
                       success=None, then="notifications:inbox", follow_next=True)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标记为已读。")
    return redirect("notifications:inbox")


@login_required
def deadlines(request):
    return render(request, "notifications/deadlines.html", {"radar": selectors.radar_for(user=request.user)})


@login_required
def preferences(request):
    if request.method == "POST":
        chosen = {tuple(value.split(":", 1)) for value in request.POST.getlist("on") if ":" in value}
        services.preferences_save(user=request.user, enabled=chosen)
        messages.success(request, "提醒方式已保存。")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {
        "rows": selectors.preference_table_for(user=request.user)})

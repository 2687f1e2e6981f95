"""审计日志: the audit events an inspector's node (or an administrator) may read, searched, paged, exported."""

from __future__ import annotations

import json
import re

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.audit import audit_record
from accounts.filters import AuditEventFilter
from accounts.models import AuditEvent, Role, User
from common.lists import Column, export_xlsx, filtered, list_page, wants_export

MODEL_TARGET = re.compile(r"^(\w+)\.(\w+):(\w+)$")


def target_label(target: str) -> str:
    """"ledger.person:5" reads as "专业技术人员 5"; other targets (filing numbers, names) as they are."""
    match = MODEL_TARGET.match(target or "")
    if match:
        try:
            model = apps.get_model(match[1], match[2])
        except (LookupError, ValueError):
            return target
        return f"{model._meta.verbose_name} {match[3]}"
    return target


AUDIT_COLUMNS = [
    Column("时间", lambda e: e.at),
    Column("类型", lambda e: e.get_kind_display()),
    Column("用户名", lambda e: e.username),
    Column("IP", lambda e: e.ip or ""),
    Column("对象", lambda e: target_label(e.target)),
    Column("详情", lambda e: json.dumps(e.detail, ensure_ascii=False) if e.detail else ""),
]


def audit_events_visible_to(user: User):
    """Administrators: every event; region or league inspectors: events of users of their node and below."""
    events = AuditEvent.objects.order_by("-at", "-pk")
    if not user.is_active:
        return events.none()
    if user.role == Role.ADMIN:
        return events
    if user.role == Role.INSPECTOR and user.organisation_id:
        return events.filter(actor__organisation__division__path__startswith=user.organisation.division.path)
    return events.none()


@login_required
def audit_event_list(request):
    if request.user.role not in (Role.ADMIN, Role.INSPECTOR) or (
            request.user.role == Role.INSPECTOR and not request.user.organisation_id):
        raise PermissionDenied("只有巡查抽查人员和系统管理员可以查看审计日志。")
    events = audit_events_visible_to(request.user)
    if wants_export(request):
        _, rows = filtered(request, events, AuditEventFilter)
        audit_record(kind=AuditEvent.Kind.EXPORT, actor=request.user, request=request, target="audit_events",
                     query=request.GET.urlencode()[:200])
        return export_xlsx(rows, AUDIT_COLUMNS, filename="审计日志.xlsx", title="审计日志")
    listing = list_page(request, events, AuditEventFilter)
    for event in listing.rows:
        event.target_label = target_label(event.target)
    return render(request, "accounts/audit_event_list.html", {"listing": listing})

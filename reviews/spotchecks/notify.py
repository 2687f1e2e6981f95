"""Who is told about a confirmed violation: the organiser and its supervising department.

Through notifications' event pipeline (per-user channels, exactly-once delivery, retries)."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role, User
from notifications.events import EventKind, event_notify, register_event_kind
from reviews.models import Inspection

VIOLATION = register_event_kind(EventKind("violation_confirmed", "抽查违规认定"))


def notify_violation_confirmed(inspection_id: int) -> int:
    inspection = Inspection.objects.select_related("selection__plan").get(pk=inspection_id)
    plan = inspection.selection.plan
    organisers = User.objects.filter(role=Role.ORGANISER, organisation_id=plan.organiser_id, is_active=True)
    reviewers = User.objects.filter(role=Role.REVIEWER, organisation_id=plan.authority_id, is_active=True)
    recipients = set(organisers.values_list("pk", flat=True)) | set(reviewers.values_list("pk", flat=True))
    return event_notify(
        kind=VIOLATION.kind, object_key=f"inspection:{inspection.pk}", recipients=recipients,
        title=f"抽查发现违规：{plan.filing_no}",
        body=(f"培训计划“{plan.title}”（{plan.filing_no}）经抽查认定为{inspection.get_violation_kind_display()}，"
              "涉及学员的学时已撤销。如有异议，请与检查部门联系。"),
        url=reverse("filings:plan_detail", args=[plan.pk]),
    )

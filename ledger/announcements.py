"""Who is told about a decision on a ledger request, and what: through notifications' event pipeline.

A decision on a credit application or a circumstance record (approved, returned, rejected) is
announced to the person who filed it and to the professional concerned; a decision on an amendment
request (学时更正) to the requester and the training's organiser. The event key is the decision's own
row (the transition, the request), so one decision is announced once however often delivery retries.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from accounts.selectors import organisation_staff
from notifications.events import EventKind, event_notify, register_event_kind

APPLICATION_DECISION = register_event_kind(EventKind("application_decision", "学时认定、减免情形审核结果"))
AMENDMENT_DECISION = register_event_kind(EventKind("amendment_decision", "学时更正申请审批结果"))


def _with_reason(text: str, reason: str) -> str:
    return f"{text}意见：{reason}" if reason else text


def application_announce(*, application, log) -> int:
    """Announce the decision logged as `log` (an ApplicationTransition) on `application`."""
    kind = "credit" if application._meta.model_name == "creditapplication" else "circumstance"
    headline = f"{application._meta.verbose_name}{log.get_to_state_display()}"
    recipients = {application.filed_by_id, application.person.user_id} - {None}
    return event_notify(
        kind=APPLICATION_DECISION.kind, object_key=f"application-transition:{kind}:{log.pk}",
        recipients=recipients, title=f"{headline}：{application.person.name}",
        body=_with_reason(f"{application.person.name}的{application._meta.verbose_name}：{headline}。", log.reason),
        url=reverse("ledger:application_detail", args=[kind, application.pk]))


def amendment_announce(*, request) -> int:
    """Announce the decision on an amendment request to its requester and the training's organiser."""
    entry = request.entry
    organiser_id = entry.plan.organiser_id if entry.plan_id else None
    recipients = {request.requested_by_id, *organisation_staff(organiser_id, Role.ORGANISER)}
    headline = f"学时更正申请{request.get_status_display()}"
    return event_notify(
        kind=AMENDMENT_DECISION.kind, object_key=f"amendment:{request.pk}", recipients=recipients,
        title=f"{headline}：{entry.person.name}",
        body=_with_reason(f"{entry.person.name} {entry.hours} 学时更正为 {request.new_hours} 学时：{headline}。",
                          request.decision_reason),
        url=reverse("ledger:amendment_list"))

"""Revoking the hours of trainees affected by a confirmed violation: reversal rows through the
ledger's writer (`ledger.services.hour_entries_reverse`), never edits."""

from __future__ import annotations

from accounts.audit import audit_record
from accounts.models import AuditEvent
from ledger import services as ledger_services
from ledger.models import HourEntry
from reviews.models import Inspection


def _reason(inspection: Inspection) -> str:
    text = f"抽查违规（{inspection.get_violation_kind_display()}）撤销学时：{inspection.findings}"
    return text[:300]


def entries_to_reverse(inspection: Inspection):
    """Credit rows of the affected trainees for this training that no reversal has cancelled yet."""
    return HourEntry.objects.filter(
        plan_id=inspection.selection.plan_id, roster_entry__in=inspection.affected.all(),
        kind=HourEntry.Kind.CREDIT, reversed_by__isnull=True,
    ).order_by("pk")


def violation_reverse_hours(*, inspection: Inspection, actor) -> list[HourEntry]:
    rows = ledger_services.hour_entries_reverse(
        entries=list(entries_to_reverse(inspection)), actor=actor, reason=_reason(inspection),
        authority_id=inspection.selection.draw.campaign.authority_id,
    )
    audit_record(kind=AuditEvent.Kind.REVOCATION, actor=actor, target=f"抽查 {inspection.selection_id}",
                 reversed=len(rows), violation=inspection.violation_kind)
    return rows

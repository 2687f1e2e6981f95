"""Revoking the hours of trainees affected by a confirmed violation: reversal rows, never edits.

`ledger.services` had no reversal function when this was written, so the rows are created here the
way the ledger's model asks (kind="reversal", negative hours, `reverses` pointing at the credit).
"""

from __future__ import annotations

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
    reason = _reason(inspection)
    return [
        HourEntry.objects.create(
            person_id=entry.person_id, year=entry.year, subject=entry.subject, source=entry.source,
            hours=-entry.hours, kind=HourEntry.Kind.REVERSAL, reverses=entry, plan_id=entry.plan_id,
            roster_entry_id=entry.roster_entry_id, authority=inspection.selection.draw.campaign.authority,
            reason=reason, created_by=actor,
        )
        for entry in entries_to_reverse(inspection)
    ]

"""Retention: how long uploaded files, personal-data exports and audit rows are kept, enforced daily.

Settings (days unless named hours; from the environment, see the README):
- RETENTION_ROSTER_FILE_DAYS: uploaded roster workbooks (the imported roster rows stay with the plan);
- RETENTION_ATTACHMENT_DAYS: report attachments and spot-check evidence (rows and files); the evidence
  files of decided credit applications and circumstance records, counted from the decision (the
  application row stays: it is the record of the decision the ledger entry or reduction points to);
- RETENTION_AUDIT_DAYS: audit rows and django-axes sign-in records; at least 183, because PostgreSQL
  refuses to delete audit rows younger than that (accounts migration trigger);
- RETENTION_ELIGIBILITY_BATCH_HOURS: a title office's last batch of verdicts (full ID numbers).
The job is `config.enforce_retention`, run by Celery beat once a day; sessions are cleared by
`config.clear_sessions` (Django's clearsessions) every hour.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
AUDIT_FLOOR_DAYS = 183


def _delete_with_files(queryset, field: str = "file") -> int:
    """Delete the rows and their stored files (the file after the row is gone, so no row points nowhere)."""
    count = 0
    for row in queryset.iterator(chunk_size=500):
        stored = getattr(row, field)
        name, storage = stored.name, stored.storage
        with transaction.atomic():
            type(row).objects.filter(pk=row.pk).delete()
        if name:
            storage.delete(name)
        count += 1
    return count


def _clear_files(queryset, field: str) -> int:
    """Delete the stored files and blank the field, keeping the rows (the field first, so no row points nowhere)."""
    count = 0
    for row in queryset.exclude(**{field: ""}).iterator(chunk_size=500):
        stored = getattr(row, field)
        name, storage = stored.name, stored.storage
        with transaction.atomic():
            type(row).objects.filter(pk=row.pk).update(**{field: ""})
        storage.delete(name)
        count += 1
    return count


def _decided_before(model, before: dt.datetime):
    from ledger.models import ApplicationState

    return model.objects.filter(state__in=(ApplicationState.APPROVED, ApplicationState.REJECTED),
                                decided_at__lt=before)


def enforce_retention(*, now: dt.datetime | None = None) -> dict[str, int]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from accounts.models import AuditEvent
    from filings.models import Attachment, RosterUpload
    from ledger.models import CircumstanceApplication, CreditApplication
    from reviews.models import InspectionEvidence
    from rules.models import EligibilityBatchResult

    now = now or timezone.now()
    days = dt.timedelta(days=1)
    audit_days = max(settings.RETENTION_AUDIT_DAYS, AUDIT_FLOOR_DAYS)
    audit_before = now - audit_days * days
    attachments_before = now - settings.RETENTION_ATTACHMENT_DAYS * days
    done = {
        "roster_files": _delete_with_files(RosterUpload.objects.filter(
            uploaded_at__lt=now - settings.RETENTION_ROSTER_FILE_DAYS * days)),
        "attachments": _delete_with_files(Attachment.objects.filter(uploaded_at__lt=attachments_before)),
        "evidence": _delete_with_files(InspectionEvidence.objects.filter(uploaded_at__lt=attachments_before)),
        "application_evidence": sum(_clear_files(_decided_before(model, attachments_before), "evidence")
                                    for model in (CreditApplication, CircumstanceApplication)),
        "eligibility_batches": EligibilityBatchResult.objects.filter(
            created_at__lt=now - dt.timedelta(hours=settings.RETENTION_ELIGIBILITY_BATCH_HOURS)).delete()[0],
        "audit_rows": AuditEvent.objects.filter(at__lt=audit_before).delete()[0],
        "sign_in_records": sum(model.objects.filter(attempt_time__lt=audit_before).delete()[0]
                               for model in (AccessAttempt, AccessFailureLog, AccessLog)),
    }
    logger.info("retention: %s", done)
    return done

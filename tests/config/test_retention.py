"""Retention: old roster files, attachments, audit rows and batch verdicts go; recent ones stay."""

import datetime as dt
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import AuditEvent
from config import retention
from filings.models import Attachment, RosterUpload
from rules.models import EligibilityBatchResult
from tests.ledger.support import plan_awaiting_report, upload_required

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RETENTION_ROSTER_FILE_DAYS, settings.RETENTION_ATTACHMENT_DAYS = 365, 730
    settings.RETENTION_AUDIT_DAYS, settings.RETENTION_ELIGIBILITY_BATCH_HOURS = 200, 24


def roster_upload(plan, owner) -> RosterUpload:
    upload = RosterUpload(plan=plan, original_name="花名册.xlsx", uploaded_by=owner)
    upload.file.save("roster.xlsx", ContentFile(b"PK\x03\x04old"), save=True)
    return upload


def test_it_deletes_what_is_past_its_period_and_keeps_the_rest(owner, reviewer, tmp_path):
    plan = plan_awaiting_report(owner, reviewer)
    NOW = timezone.now()  # the PostgreSQL trigger judges an audit row's age by the database's clock
    with time_machine.travel(NOW - dt.timedelta(days=800), tick=False):
        old_upload = roster_upload(plan, owner)
        upload_required(plan, owner)
        AuditEvent.objects.create(kind="export", username="old")
        EligibilityBatchResult.objects.create(user=reviewer, rows=[{"id_number": "x"}], created_at=timezone.now())
    with time_machine.travel(NOW - dt.timedelta(days=100), tick=False):
        new_upload = roster_upload(plan, owner)
        AuditEvent.objects.create(kind="export", username="recent")
    old_files = [old_upload.file.path] + [a.file.path for a in Attachment.objects.all()]
    assert Attachment.objects.exists()

    with time_machine.travel(NOW, tick=False):
        done = retention.enforce_retention()

    assert done["roster_files"] == 1 and done["attachments"] >= 1 and done["eligibility_batches"] == 1
    assert list(RosterUpload.objects.values_list("pk", flat=True)) == [new_upload.pk]
    assert not Attachment.objects.exists() and not EligibilityBatchResult.objects.exists()
    assert list(AuditEvent.objects.filter(username__in=["old", "recent"]).values_list("username", flat=True)) == [
        "recent"]
    assert not any(os.path.exists(path) for path in old_files)
    assert os.path.exists(new_upload.file.path)


def test_audit_rows_younger_than_183_days_are_kept_whatever_the_setting(settings):
    NOW = timezone.now()
    settings.RETENTION_AUDIT_DAYS = 30
    with time_machine.travel(NOW - dt.timedelta(days=100), tick=False):
        AuditEvent.objects.create(kind="export", username="recent")
    with time_machine.travel(NOW, tick=False):
        assert retention.enforce_retention()["audit_rows"] == 0
    assert AuditEvent.objects.filter(username="recent").count() == 1


def test_sessions_are_cleared_and_retention_runs_on_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"config.clear_sessions", "config.enforce_retention"} <= tasks
    from config.celery import app

    app.loader.import_default_modules()
    assert {"config.clear_sessions", "config.enforce_retention"} <= set(app.tasks)


def test_decided_applications_lose_their_evidence_files_after_the_period_and_keep_the_record(
        professional, reviewer, chifeng_bureau, client, settings):
    """Credit applications' evidence follows RETENTION_ATTACHMENT_DAYS, counted from the decision; the row
    stays (the ledger entry points to it), pending applications keep their evidence."""
    from ledger.models import CreditApplication, HourEntry
    from ledger.services.applications import application_approve, application_reject, credit_apply
    from tests.ledger.applications_support import NOW, employer, evidence, exam, person_of_employer

    doctor = person_of_employer(employer(), user=professional)
    with time_machine.travel(NOW, tick=False):
        old, late, pending = (credit_apply(person=doctor, actor=professional, data=exam(title=f"考试{i}"),
                                           evidence=evidence()) for i in range(3))
        application_approve(application=old, actor=reviewer)
    with time_machine.travel(NOW + dt.timedelta(days=200), tick=False):
        application_reject(application=late, actor=reviewer, reason="证书不清晰")
    paths = {a.pk: a.evidence.path for a in (old, late, pending)}
    # The filings' audit rows stay: PostgreSQL judges their age by its own clock, not the travelled one.
    settings.RETENTION_AUDIT_DAYS = 5000

    with time_machine.travel(NOW + dt.timedelta(days=800), tick=False):
        done = retention.enforce_retention()

    assert done["application_evidence"] == 1
    assert [os.path.exists(paths[a.pk]) for a in (old, late, pending)] == [False, True, True]
    old.refresh_from_db()
    assert not old.evidence and old.evidence_name == "证书.pdf" and old.state == "approved"
    assert HourEntry.objects.get(application=old).hours == old.credited_hours
    assert CreditApplication.objects.count() == 3
    client.force_login(professional)
    assert client.get(f"/ledger/applications/credit/{old.pk}/evidence/").status_code == 404
    assert "已按保存期限删除" in client.get(f"/ledger/applications/credit/{old.pk}/").content.decode()

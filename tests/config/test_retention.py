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

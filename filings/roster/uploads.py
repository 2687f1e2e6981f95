"""花名册上传: the web path. The request only stores the file; a Celery task parses and imports it."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from filings.models import RosterUpload, TrainingPlan
from filings.roster.checks import error
from filings.roster.columns import ROSTER_LIMITS
from filings.roster.services import require_upload_allowed, roster_import
from sheets.guard import check_name_and_size

logger = logging.getLogger(__name__)
Status = RosterUpload.Status
UNEXPECTED = "系统处理该文件时出错，花名册未导入。请确认文件是用花名册模板填写的 .xlsx 后重新上传；如仍失败请联系管理员。"


def _enqueue(upload: RosterUpload, *, confirmed: bool = False) -> None:
    from filings.tasks import roster_upload_process

    transaction.on_commit(lambda: roster_upload_process.delay(upload.pk, confirmed))


@transaction.atomic
def roster_upload_create(*, plan: TrainingPlan, actor: User, uploaded_file) -> RosterUpload:
    """Check who and when, store the file, and queue the import after commit."""
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    require_upload_allowed(plan, actor)
    check_name_and_size(uploaded_file.name, uploaded_file.size, ROSTER_LIMITS)
    upload = RosterUpload.objects.create(plan=plan, file=uploaded_file, uploaded_by=actor,
                                         original_name=uploaded_file.name[:200])
    _enqueue(upload)
    return upload


@transaction.atomic
def roster_upload_confirm(*, upload: RosterUpload, actor: User) -> RosterUpload:
    """The organiser confirms a roster above the planned headcount; the import is queued again."""
    upload = RosterUpload.objects.select_for_update(of=("self",)).select_related("plan").get(pk=upload.pk)
    require_upload_allowed(upload.plan, actor)
    if upload.status != Status.NEEDS_CONFIRMATION:
        raise ValidationError("该花名册当前不需要确认（可能已处理，请刷新页面）。")
    upload.status, upload.progress = Status.PENDING, 0
    upload.save(update_fields=["status", "progress"])
    _enqueue(upload, confirmed=True)
    return upload


def _progress_writer(upload_id: int):
    def write(done: int, total: int) -> None:
        RosterUpload.objects.filter(pk=upload_id).update(progress=done, total_rows=total)

    return write


def _claim(upload_id: int) -> bool:
    """Only a pending upload is processed, once (a redelivered task finds it already claimed)."""
    return bool(RosterUpload.objects.filter(pk=upload_id, status=Status.PENDING).update(status=Status.PARSING))


def roster_upload_process(*, upload_id: int, confirmed: bool = False) -> RosterUpload | None:
    if not _claim(upload_id):
        return None
    upload = RosterUpload.objects.select_related("plan").get(pk=upload_id)
    try:
        with upload.file.open("rb") as handle:
            content = handle.read()
        outcome = roster_import(plan=upload.plan, content=content, confirmed=confirmed,
                                progress=_progress_writer(upload_id))
        fields = {"status": outcome.status, "errors": outcome.errors, "warnings": outcome.warnings,
                  "total_rows": outcome.total_rows}
    except (ValidationError, PermissionDenied) as problem:
        fields = {"status": Status.FAILED, "errors": [error(None, "", m) for m in _messages(problem)]}
    except Exception:
        logger.exception("roster upload %s failed", upload_id)
        fields = {"status": Status.FAILED, "errors": [error(None, "", UNEXPECTED)]}
    RosterUpload.objects.filter(pk=upload_id).update(finished_at=timezone.now(), **fields)
    upload.refresh_from_db()
    return upload


def _messages(problem: Exception) -> list[str]:
    return problem.messages if isinstance(problem, ValidationError) else [str(problem)]

"""Housekeeping tasks that span the apps (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.core.management import call_command

from config import retention


@shared_task(name="config.enforce_retention")
def enforce_retention() -> dict[str, int]:
    return retention.enforce_retention()


@shared_task(name="config.clear_sessions")
def clear_sessions() -> None:
    call_command("clearsessions")

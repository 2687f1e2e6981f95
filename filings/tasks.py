"""Celery tasks of filings: thin wrappers around services."""

from celery import shared_task

from filings.roster.uploads import roster_upload_process as process


@shared_task(name="filings.roster_upload_process")
def roster_upload_process(upload_id: int, confirmed: bool = False) -> str:
    upload = process(upload_id=upload_id, confirmed=confirmed)
    return upload.status if upload else "skipped"


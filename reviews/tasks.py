"""Celery tasks of reviews: thin wrappers around services."""

from celery import shared_task

from reviews.certification_runs import certification_run_process


@shared_task(name="reviews.certification_run")
def certification_run(run_id: int) -> str:
    run = certification_run_process(run_id=run_id)
    return run.status if run else "skipped"

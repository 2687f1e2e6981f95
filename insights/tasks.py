from celery import shared_task

from insights.services import statistics_refresh


@shared_task(name="insights.refresh_statistics")
def refresh_statistics() -> int:
    """Beat task: recompute the statistics pages' summary tables (a failure keeps the previous ones)."""
    return statistics_refresh().rows

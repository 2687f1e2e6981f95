from celery import shared_task

from filings.services import plans_advance_by_clock


@shared_task(name="workflows.advance_plans_by_clock")
def advance_plans_by_clock() -> int:
    """Move approved plans into training at their start, and to awaiting-report at their end."""
    return plans_advance_by_clock()

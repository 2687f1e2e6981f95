from celery import shared_task

from filings.decision_window import plans_undecided_at_start_notify
from filings.services import plans_advance_by_clock


@shared_task(name="workflows.advance_plans_by_clock")
def advance_plans_by_clock() -> int:
    """Move approved plans into training at their start, and to awaiting-report at their end; tell the
    organisers of plans whose training began undecided."""
    moved = plans_advance_by_clock()
    plans_undecided_at_start_notify()
    return moved

"""Refreshing the summary tables: build a new generation beside the live one, then swap in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone

from filings.models import TrainingPlan
from insights.figures import Context, Facts, PolicyCache
from insights.figures.filings import collect_filings, collect_reports
from insights.figures.hours import collect_compliance, collect_hours
from insights.figures.spotchecks import collect_overdue, collect_reminders, collect_spotchecks
from insights.models import Figure, Generation
from jurisdiction.models import Division
from ledger.models import HourEntry

logger = logging.getLogger(__name__)
BATCH = 5000


class RefreshFailed(RuntimeError):
    pass


def _compliance_years(now: dt.datetime) -> list[int]:
    """Every credit year in the ledger or of a training's start, up to the current year."""
    ledger = HourEntry.objects.aggregate(low=Min("year"), high=Max("year"))
    plans = TrainingPlan.objects.aggregate(low=Min(ExtractYear("starts_at")))
    lows = [y for y in (ledger["low"], plans["low"]) if y]
    current = timezone.localtime(now).year
    return list(range(min(lows), current + 1)) if lows else []


def statistics_collect(*, now: dt.datetime) -> Facts:
    """Every figure of the pages, counted from the source tables as they are now."""
    ctx = Context(now=now, policies=PolicyCache(), plans={},
                  divisions_by_code={d.code: d for d in Division.objects.all()})
    facts = Facts()
    collect_filings(ctx, facts)
    collect_reports(ctx, facts)
    collect_hours(ctx, facts)
    collect_compliance(ctx, facts, years=_compliance_years(now))
    collect_spotchecks(ctx, facts)
    collect_overdue(ctx, facts)
    collect_reminders(ctx, facts)
    return facts


def statistics_refresh(*, now: dt.datetime | None = None, collect=statistics_collect) -> Generation:
    """Recompute every figure; the pages keep showing the previous generation until the swap.

    1. record a `building` generation (committed, so that a failure leaves a trace);
    2. count everything and write the new rows, then in the same transaction retire the live
       generation, make the new one live and drop the retired rows;
    3. on any error the transaction rolls back (the live generation is untouched) and the new
       generation is marked failed with the error.
    """
    now = now or timezone.now()
    started = time.monotonic()
    generation = Generation.objects.create(started_at=now)
    try:
        facts = collect(now=now)
        with transaction.atomic():
            _write(generation, facts)
            # Two refreshes swapping at once queue on the live row; the second then retires the first's.
            list(Generation.objects.select_for_update().filter(status=Generation.Status.LIVE))
            Generation.objects.filter(status=Generation.Status.LIVE).update(status=Generation.Status.RETIRED)
            Figure.objects.filter(generation__status__in=[Generation.Status.RETIRED, Generation.Status.FAILED]).delete()
            generation.status = Generation.Status.LIVE
            generation.computed_at = now
            generation.rows = len(facts)
            generation.years = sorted({year for (_l, _c, _o, year, *_rest) in facts.values}, reverse=True)
            generation.seconds = round(time.monotonic() - started, 3)
            generation.save(update_fields=["status", "computed_at", "rows", "years", "seconds"])
    except Exception as exc:
        Generation.objects.filter(pk=generation.pk).update(
            status=Generation.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            seconds=round(time.monotonic() - started, 3))
        logger.exception("statistics refresh failed; the previous figures stay in use")
        raise RefreshFailed(f"统计计算失败，继续使用上一次的结果：{exc}") from exc
    _analyze()
    logger.info("statistics refreshed: %s rows in %.1f s", generation.rows, generation.seconds)
    return generation


def _analyze() -> None:
    """Fresh planner statistics for the new rows (PostgreSQL), so page reads aggregate by hash, not sort."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Figure._meta.db_table}")


def _write(generation: Generation, facts: Facts) -> None:
    batch = []
    for (league, county, organiser, year, month, metric, key), value in facts.values.items():
        batch.append(Figure(generation=generation, league=league, county=county, organiser_id=organiser,
                            year=year, month=month, metric=metric, key=key, value=value))
        if len(batch) >= BATCH:
            Figure.objects.bulk_create(batch)
            batch = []
    Figure.objects.bulk_create(batch)

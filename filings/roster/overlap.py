"""同期培训: a trainee on another approved or certified training at overlapping times is flagged, not refused."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.utils import timezone

from filings.models import PlanState, RosterEntry, TrainingPlan

ACTIVE_STATES = [PlanState.APPROVED, PlanState.IN_TRAINING, PlanState.AWAITING_REPORT, PlanState.REPORTED,
                 PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED]
MAX_ANOMALY = 300


def _chunk_size() -> int:
    limit = connection.features.max_query_params
    return min(20_000, limit - 20) if limit else 20_000


def _matches(others, id_numbers: list[str]):
    """Other plans' roster rows with these ID numbers: on PostgreSQL one query with the numbers as one text
    parameter split by the server (adapting a Python list of 50,000 strings costs more than the query);
    elsewhere one query per chunk (SQLite caps the number of parameters). ID numbers hold no comma."""
    fields = ("id_number", "plan__filing_no", "plan__title", "plan__starts_at", "plan__ends_at")
    base = RosterEntry.objects.filter(plan__in=others)
    if connection.vendor == "postgresql":
        table = RosterEntry._meta.db_table
        yield base.extra(where=[f'"{table}"."id_number" = ANY(string_to_array(%s, \',\'))'],
                         params=[",".join(id_numbers)]).values_list(*fields)
        return
    size = _chunk_size()
    for start in range(0, len(id_numbers), size):
        yield base.filter(id_number__in=id_numbers[start:start + size]).values_list(*fields)


def _overlapping_plans(plan: TrainingPlan):
    return (TrainingPlan.objects.filter(state__in=ACTIVE_STATES, starts_at__lt=plan.ends_at,
                                        ends_at__gt=plan.starts_at).exclude(pk=plan.pk))


def _describe(filing_no: str, title: str, starts_at, ends_at) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{filing_no}《{title}》（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"


def overlap_anomalies(plan: TrainingPlan, id_numbers: list[str]) -> dict[str, str]:
    """ID number -> anomaly text, from one join per chunk of ID numbers (no per-row queries)."""
    others = _overlapping_plans(plan)
    if not id_numbers or not others.exists():
        return {}
    found: dict[str, list[str]] = defaultdict(list)
    described: dict[tuple, str] = {}  # a few other plans, many trainees: each plan described once
    for rows in _matches(others, id_numbers):
        for id_number, *plan in rows:
            key = tuple(plan)
            text = described.get(key)
            if text is None:
                text = described[key] = _describe(*plan)
            found[id_number].append(text)
    return {number: f"同期参加了其他培训：{'；'.join(plans)}，请审核时核实。"[:MAX_ANOMALY]
            for number, plans in found.items()}

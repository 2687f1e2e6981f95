"""Open the authority tasks that are missing and cancel those left over, for every kind.

For data that predates a kind's flow (reports, certifications, amendments and violations waiting before
their tasks existed) and for repairs after a fault that reconciliation reports. Each object is handled
in its own transaction with its row locked, so a decision taken meanwhile is not overtaken.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from workflows.selectors import open_task_counts
from workflows.services import task_cancel, task_open
from workflows.task_kinds import TaskKind, task_kinds


@dataclass
class Repaired:
    kind: str
    opened: int = 0
    cancelled: int = 0


def _repair_kind(kind: TaskKind, *, dry_run: bool) -> Repaired:
    result = Repaired(kind.code)
    waiting = set(kind.waiting().values_list("pk", flat=True))
    tasks = open_task_counts(kind.model, flow=kind.flow)
    for pk in sorted(waiting - tasks.keys()):
        with transaction.atomic():
            artifact = kind.waiting().select_for_update().filter(pk=pk).first()
            if artifact is not None and not open_task_counts(kind.model, flow=kind.flow).get(pk):
                result.opened += 1
                if not dry_run:
                    task_open(flow=kind.flow, artifact=artifact)
    for pk in sorted(pk for pk in tasks if pk not in waiting):
        with transaction.atomic():
            artifact = kind.model.objects.select_for_update().filter(pk=pk).first()
            if artifact is not None and not kind.waiting().filter(pk=pk).exists():
                result.cancelled += 1
                if not dry_run:
                    task_cancel(artifact=artifact, flow=kind.flow)
    return result


def tasks_repair(*, dry_run: bool = False) -> list[Repaired]:
    return [_repair_kind(kind, dry_run=dry_run) for kind in task_kinds()]

"""The kinds of authority task: each a flow, the model it decides, and which rows wait for a decision.

The waiting rows are the source of truth (the object's own state); the open tasks must match them
one to one. Reconciliation (workflows.reconcile) checks that for every kind, `tasks_repair` opens the
missing tasks and cancels those left over (`manage.py authority_tasks --repair`), and the inbox
(reviews.inbox) filters and counts by kind. Workflows registers plan review and the ledger's kinds;
reviews registers its own from its AppConfig.ready() (it sits above workflows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class TaskKind:
    code: str
    flow: type
    model: type
    waiting: Callable[[], QuerySet]  # rows whose decision waits for an authority
    order: int = 0

    @property
    def label(self) -> str:
        return self.model_label or self.flow.process_title

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name) if self.shares_flow else ""

    @property
    def shares_flow(self) -> bool:
        return sum(1 for kind in _KINDS.values() if kind.flow is self.flow) > 1

    def task_q(self, prefix: str = "") -> Q:
        """Tasks of this kind (a filter on Task, or through `prefix` on a related model)."""
        return Q(**{f"{prefix}process__flow_class": self.flow,
                    f"{prefix}process__artifact_content_type__app_label": self.model._meta.app_label,
                    f"{prefix}process__artifact_content_type__model": self.model._meta.model_name})


_KINDS: dict[str, TaskKind] = {}


def register_kind(kind: TaskKind) -> TaskKind:
    _KINDS[kind.code] = kind
    return kind


def task_kinds() -> list[TaskKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def task_kind(code: str) -> TaskKind | None:
    return _KINDS.get(code)


def kind_of(flow, model_name: str) -> TaskKind | None:
    for kind in _KINDS.values():
        if kind.flow is flow and kind.model._meta.model_name == model_name:
            return kind
    return None

"""The authority tasks of ledger requests, as the ledger sees them (an inverted dependency).

Credit applications, circumstance records (ledger.flows.ApplicationReviewFlow) and amendment requests
(ledger.flows.AmendmentFlow) wait for an authority as viewflow tasks. Their services open, claim,
release, complete and cancel the task inside their transaction, but the one task helper lives in
`workflows`, above the ledger; so the ledger states what it needs here and workflows registers
its implementation (`workflows.services`) from its AppConfig.ready().
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class TaskProcess(Protocol):
    def task_open(self, *, flow, artifact) -> None: ...

    def task_claim(self, *, artifact, actor, flow=None, required: bool = True): ...

    def task_release(self, *, artifact, actor, flow=None): ...

    def task_complete(self, *, artifact, actor, flow=None): ...

    def task_cancel(self, *, artifact, flow=None): ...

    def task_holder(self, artifact, *, flow=None): ...


_registered: list[TaskProcess] = []


def register_task_process(process: TaskProcess) -> None:
    _registered[:] = [process]


def task_process() -> TaskProcess:
    if not _registered:
        raise ImproperlyConfigured("No task process is registered: is `workflows` in INSTALLED_APPS?")
    return _registered[0]

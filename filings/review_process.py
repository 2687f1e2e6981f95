"""The review process of a plan, as filings sees it (an inverted dependency).

The plan services open, complete, claim, release and cancel the review task inside their
transaction, but the process itself (viewflow) lives in `workflows`, above filings. So filings
states what it needs here, and workflows registers its implementation from its AppConfig.ready().
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class ReviewProcess(Protocol):
    def review_open(self, *, plan) -> None: ...

    def review_cancel(self, *, plan) -> None: ...

    def review_complete(self, *, plan, actor) -> None: ...

    def review_claim(self, *, plan, actor): ...

    def review_release(self, *, plan, actor): ...

    def claimed_by(self, plan): ...


_registered: list[ReviewProcess] = []


def register_review_process(process: ReviewProcess) -> None:
    _registered[:] = [process]


def review_process() -> ReviewProcess:
    if not _registered:
        raise ImproperlyConfigured("No review process is registered: is `workflows` in INSTALLED_APPS?")
    return _registered[0]


# Other decisions on a plan wait for an authority too (the report, the certification): whoever keeps
# their tasks listens to every move of a plan, inside the transition's transaction.
_listeners: list = []


def register_transition_listener(listener) -> None:
    """`listener(*, plan, from_state, actor)` is called by `filings.services.plan_transition` after each move."""
    if listener not in _listeners:
        _listeners.append(listener)


def transition_listeners() -> list:
    return list(_listeners)

"""Deadline sources: each kind of deadline derives its deadlines from object state and the rules in force.

Each app registers its own sources with `register_source` from its AppConfig.ready() (filings:
plans and reports; ledger: the hours shortfall; rules: the rule sets' annual deadlines; reviews:
spot-check rectification), and the sweep, the radar and the preferences page pick them up.
This package knows no app. Nothing here stores a deadline: every sweep derives them afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from notifications.models import Channel

ALL_CHANNELS = (Channel.INAPP, Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True)
class Deadline:
    """One deadline: who must act, by when. `escalate_to` are told only at escalation steps."""

    kind: str
    object_key: str
    due_at: dt.datetime
    title: str
    action: str
    url: str
    recipients: frozenset[int]
    escalate_to: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DeadlineSource:
    """A kind of deadline, its default reminder steps and a collector.

    `collect(ctx, start, end, user=None)` yields the open deadlines due within [start, end];
    with a user it may narrow its query to what concerns that user (the radar).
    `offsets` are days relative to the deadline day (negative: before); steps from
    `escalate_from` on are escalations, sent on every channel and to `escalate_to` as well.
    """

    kind: str
    label: str
    collect: Callable[..., Iterable[Deadline]]
    offsets: tuple[int, ...]
    escalate_from: int | None = None
    channels: tuple[str, ...] = ALL_CHANNELS


_SOURCES: dict[str, DeadlineSource] = {}


def register_source(source: DeadlineSource) -> DeadlineSource:
    _SOURCES[source.kind] = source
    return source


def sources() -> list[DeadlineSource]:
    return list(_SOURCES.values())


def source_for(kind: str) -> DeadlineSource | None:
    return _SOURCES.get(kind)

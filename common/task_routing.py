"""Where an authority task is routed and what it is about: the process data every task flow records.

Each flow (workflows, reviews, ledger) describes its artifact with `task_data` when the task opens,
so that the one inbox (workflows.selectors) lists, filters and sorts tasks of every kind in one
query: by authority, organiser (never one's own), league (盟市), kind and deadline. This module
imports no project app, so flows of any layer use it.
"""

from __future__ import annotations

import datetime as dt

DUE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # UTC, so that the text sorts as the moments do


def due_text(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime(DUE_FORMAT)


def due_moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.strptime(text, DUE_FORMAT).replace(tzinfo=dt.UTC)


def task_data(*, authority_id: int, title: str, url: str, due: dt.datetime | None = None,
              organiser_id: int | None = None, organiser: str = "", league: str = "", ref: str = "") -> dict:
    """The routing of a task: `authority_id` decides; `organiser_id` (whose filing it is) never sees it in its
    own inbox; `league` is the league code of the filer; `due` the deadline that applies."""
    return {"authority_id": authority_id, "organiser_id": organiser_id, "organiser": organiser,
            "league": league, "due": due_text(due), "title": title, "ref": ref, "url": url}


def start_with_artifact(activation, artifact, data: dict):
    """The start step of every task flow: the process records its artifact and routing."""
    activation.process.artifact = artifact
    activation.process.data = data
    return activation.process


# No notice sets how long an authority may take over a report, a certification, an application or a
# confirmation; this is the service level the inbox sorts and escalates by (plan review and late-filing
# requests are due at the training's start instead).
DECISION_WINDOW = dt.timedelta(days=10)

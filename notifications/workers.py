"""Deliveries held by a worker that died: given back as soon as a worker is up again.

A delivery task first tags its reminders with the worker's incarnation (node name and main process
id). A worker coming up (Celery's worker_ready) asks which incarnations answer, and re-enqueues the
unsent reminders tagged by any other: a worker killed with SIGKILL acknowledges nothing, so without
this its reminders would wait for the sweep's claim lease (15 minutes) or the broker's visibility
timeout (one hour). Exactly once still holds: every channel is marked done once, under its row lock.
"""

from __future__ import annotations

import logging
import os

from celery.signals import worker_ready
from django.db import close_old_connections
from django.utils import timezone

from notifications.sweep import reminders_requeue_orphans

logger = logging.getLogger(__name__)
PING_SECONDS = 1.0
# The worker's main process loads Django (and this module) before it forks its pool processes, which
# inherit this value: every process of one worker carries the main process's id.
MAIN_PID = os.getpid()


def incarnation(nodename: str) -> str:
    """This worker's incarnation: a restarted worker keeps its node name but not its pid."""
    return f"{nodename}#{MAIN_PID}"


def live_incarnations(app) -> set[str]:
    """The incarnations of the workers that answer within a second (none when the broker is silent)."""
    try:
        stats = app.control.inspect(timeout=PING_SECONDS).stats() or {}
    except Exception:  # a broker hiccup: treat every other worker as gone (a duplicate task is harmless)
        logger.exception("worker stats unavailable")
        stats = {}
    return {f"{node}#{info.get('pid')}" for node, info in stats.items()}


@worker_ready.connect
def requeue_orphans(sender, **kwargs) -> None:
    live = live_incarnations(sender.app) | {incarnation(sender.hostname)}
    close_old_connections()
    try:
        count = reminders_requeue_orphans(alive=live.__contains__, now=timezone.now())
    finally:
        close_old_connections()
    if count:
        logger.warning("re-enqueued %s reminders held by workers no longer alive", count)

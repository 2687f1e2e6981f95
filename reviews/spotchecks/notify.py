"""Notification hook for confirmed violations.

`notifications.services` offered no function when this was written; this hook is where the
notification records for the organiser (and the supervising department) are to be created once it
does. It is called on commit, so it never runs for a rolled-back confirmation.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def notify_violation_confirmed(inspection_id: int) -> None:
    """Hook: notify the organiser and its supervising department of a confirmed violation."""
    logger.info("spot check violation confirmed: inspection %s", inspection_id)

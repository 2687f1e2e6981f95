"""Bulk work in memory."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bounded piece of work allocates many short-lived, acyclic
    objects (rows, tuples, small dataclasses): reference counting frees them all the same, and the collector's
    passes over an ever larger young heap cost more than the work (the reminder sweep: half its CPU time).
    The collector is restored as it was, and the postponed collection runs at its next threshold."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

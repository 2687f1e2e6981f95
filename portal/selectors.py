"""What waits for a user on the home page, by role. Each app contributes its counts."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import User

# Callables registered by other apps: (user) -> list of {"label", "count", "url"}.
_CONTRIBUTORS: list[Callable[[User], list[dict]]] = []


def register_home_contributor(fn: Callable[[User], list[dict]]) -> Callable[[User], list[dict]]:
    _CONTRIBUTORS.append(fn)
    return fn


def home_summary_for(*, user: User) -> list[dict]:
    items: list[dict] = []
    for contributor in _CONTRIBUTORS:
        items.extend(contributor(user))
    return items

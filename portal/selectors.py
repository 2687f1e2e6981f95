"""What waits for a user on the home page, by role. Each app contributes its counts.

An app below portal contributes by defining `HOME_PANELS` (callables (user) -> list of
{"label", "count", "url"}) in its `home` module; portal finds them in INSTALLED_APPS order,
so no lower app imports portal. Apps beside portal may also `register_home_contributor`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from accounts.models import User

Contributor = Callable[[User], list[dict]]

_CONTRIBUTORS: list[Contributor] = []


def register_home_contributor(fn: Contributor) -> Contributor:
    _CONTRIBUTORS.append(fn)
    return fn


@cache
def _app_panels() -> tuple[Contributor, ...]:
    panels: list[Contributor] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "home"):
            panels.extend(getattr(import_module(f"{config.name}.home"), "HOME_PANELS", ()))
    return tuple(panels)


def home_summary_for(*, user: User) -> list[dict]:
    items: list[dict] = []
    for contributor in (*_app_panels(), *_CONTRIBUTORS):
        items.extend(contributor(user))
    return items

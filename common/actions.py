"""The one way a view runs a service for a POST: show its refusal or its success, go to a safe next page.

    return run_service(request, lambda: services.plan_claim(plan=plan, actor=request.user),
                       success="已认领。", then="reviews:inbox", follow_next=True)

A `next` from the form or query string is followed only when it stays on this site
(url_has_allowed_host_and_scheme): `next=https://evil.example/` or `next=javascript:…` go to `then`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

SEPARATOR = "；"


def safe_next_url(request: HttpRequest, default: str, *args, **kwargs) -> str:
    """The request's `next` when it points to this site, else `default` (a URL name or path)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site ("/plans/7/") or a full http(s) URL to it; never a bare word a redirect would
    # try to reverse as a URL name.
    shaped = candidate.startswith("/") or urlsplit(candidate).scheme in ("http", "https")
    if shaped and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return candidate
    return resolve_url(default, *args, **kwargs)


def error_text(error: Exception) -> str:
    """A refusal as one line: every message of a ValidationError, or the reason of a PermissionDenied."""
    if isinstance(error, ValidationError):
        return SEPARATOR.join(error.messages)
    return str(error) or "您没有办理该事项的权限。"


def flash_error(request: HttpRequest, error: Exception) -> None:
    messages.error(request, error_text(error))


def run_service(request: HttpRequest, action: Callable[[], Any], *, success: str | Callable[[Any], str] | None,
                then: str, then_args: Iterable = (), follow_next: bool = False,
                refusals: tuple[type[Exception], ...] = (ValidationError,)) -> HttpResponseRedirect:
    """Run `action`; flash its refusal (or the success text) and redirect to `then` or a safe `next`.

    Only the `refusals` are caught: a PermissionDenied outside them still answers 403.
    """
    try:
        result = action()
    except refusals as error:
        flash_error(request, error)
    else:
        if success:
            messages.success(request, success(result) if callable(success) else success)
    target = safe_next_url(request, then, *then_args) if follow_next else resolve_url(then, *then_args)
    return HttpResponseRedirect(target)


__all__ = ["PermissionDenied", "error_text", "flash_error", "run_service", "safe_next_url"]

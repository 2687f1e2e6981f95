"""Every sign-in path through django-axes: our login page, the admin's, and any later one (SSO, API).

- Lockout: five failures for a user name *from one client address* within 15 minutes (AXES_* settings);
  nobody can lock a reviewer out from elsewhere, and the failures are counted in axes' AccessAttempt rows.
- Client address: REMOTE_ADDR, or behind the reverse proxies named in TRUSTED_PROXIES the right-most
  X-Forwarded-For address that is not one of them (a client cannot forge its way past the proxy).
- Parallel guesses: a sign-in locks the user's row for the whole check (axes' count, the password,
  axes' failure record), so twenty simultaneous guesses are checked one after another and at most five
  reach the password.
- Unlock: `manage.py axes_reset_username NAME` (or axes_reset_ip, axes_reset); see the README.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render

MAX_USERNAME_LENGTH = 150
GENERIC_REFUSAL = "用户名或密码不正确，或登录失败次数过多已被暂时锁定，请 15 分钟后再试。"


def normalised_username(request, credentials: dict | None) -> str | None:
    """The name axes keys on: as typed, without surrounding spaces, lower-cased."""
    name = (credentials or {}).get(get_user_model().USERNAME_FIELD)
    if name is None and request is not None:
        name = request.POST.get("username") if hasattr(request, "POST") else None
    return str(name).strip().lower() if name is not None else None


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address; X-Forwarded-For is believed only as far as it was written by trusted proxies."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    remote = _parse(meta.get("REMOTE_ADDR", "") or "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if remote is None:
        return None
    if not networks or not _trusted(remote, networks):
        return str(remote)
    client = remote
    for hop in reversed((meta.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")):
        address = _parse(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


class SerialisedSignIn:
    """Mixin for authentication forms: the whole check runs with the user's row locked."""

    error_messages = {"invalid_login": GENERIC_REFUSAL, "inactive": GENERIC_REFUSAL}

    def clean(self):
        name = (self.cleaned_data.get("username") or "").strip()
        if len(name) > MAX_USERNAME_LENGTH or "\x00" in name + (self.cleaned_data.get("password") or ""):
            # No such user can exist; the database is not asked (SQLite's LIKE limit, PostgreSQL refuses NUL).
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        with transaction.atomic():  # the failure rows (axes, audit) must commit: the refusal leaves the block
            if name:
                list(get_user_model().objects.select_for_update().filter(username__iexact=name).values_list("pk"))
            try:
                return super().clean()
            except ValidationError as error:
                refusal = error
        raise refusal


class SignInForm(SerialisedSignIn, AuthenticationForm):
    """Our login page."""


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a locked-out name: the login page with the usual message (no hint whether it exists)."""
    form = AuthenticationForm(request, initial={"username": normalised_username(request, credentials)})
    return render(request, "registration/login.html",
                  {"form": form, "lockout_message": GENERIC_REFUSAL, "next": request.POST.get("next", "")},
                  status=429)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password backends. Every web sign-in passes its request (our login
    view, the admin's, single sign-on callbacks); a call without one (the test client's `login`, a shell)
    has no client address to key on and goes straight to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

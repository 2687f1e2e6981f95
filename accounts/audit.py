"""Writing the audit log, and the sign-in lockout that reads it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import signals
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import AuditEvent

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_record(*, kind: str, actor=None, request=None, target: str = "", username: str = "", **detail) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        ip=_client_ip(request),
        target=target[:200],
        detail=detail,
    )


def is_locked_out(username: str, *, now: dt.datetime | None = None) -> bool:
    """Too many recent failures for this name, whether or not such a user exists."""
    now = now or timezone.now()
    recent = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.SIGN_IN_FAILED, username=username.strip().lower(), at__gte=now - LOCKOUT_WINDOW
    )
    return recent.count() >= LOCKOUT_FAILURES


@receiver(signals.user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.SIGN_IN, actor=user, request=request)


@receiver(signals.user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(kind=AuditEvent.Kind.SIGN_OUT, actor=user, request=request)


@receiver(signals.user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", "")).strip().lower()
    audit_record(kind=AuditEvent.Kind.SIGN_IN_FAILED, request=request, username=username)

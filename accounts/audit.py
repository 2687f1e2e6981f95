"""Writing the audit log (sign-ins and failures included; the lockout itself is django-axes')."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import signals
from django.dispatch import receiver

from accounts.models import AuditEvent
from accounts.signin import client_ip

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)


def _client_ip(request) -> str | None:
    return client_ip(request)


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

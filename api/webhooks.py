"""Webhooks: a signed POST to the client's URL when one of its organisation's plans changes state.

Rows first (WebhookDelivery, written in the transition's transaction by a signal), delivery after commit
by Celery. A delivery is claimed with a conditional UPDATE (claimed_until in the past), so it is made
at most once at a time; a 2xx answer ends it; otherwise it is retried at growing intervals for 24 hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from api.models import ApiClient, WebhookDelivery

logger = logging.getLogger(__name__)
EVENT = "plan.state_changed"
RETRY_WINDOW = dt.timedelta(hours=24)
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY = dt.timedelta(hours=2)
CLAIM_FOR = dt.timedelta(seconds=60)
TIMEOUT_SECONDS = 10


def check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    allowed = ("https", "http") if getattr(settings, "API_WEBHOOK_ALLOW_HTTP", False) else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError({"webhook_url": "回调地址须为 https:// 开头的完整网址。"})


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def deliveries_for_transition(transition) -> list[WebhookDelivery]:
    """Rows for every active client of the plan's organisation that registered a URL."""
    plan = transition.plan
    clients = ApiClient.objects.filter(organisation_id=plan.organiser_id, revoked_at__isnull=True).exclude(
        webhook_url="")
    payload = {"event": EVENT, "filing_no": plan.filing_no, "from": transition.from_state, "to": transition.to_state,
               "at": timezone.localtime(transition.at).isoformat(timespec="seconds"), "reason": transition.reason}
    now = timezone.now()
    rows = [WebhookDelivery.objects.create(client=c, event=EVENT, payload=payload, next_attempt_at=now)
            for c in clients if c.has_scope("plans")]
    if rows:
        ids = [str(r.pk) for r in rows]
        transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(ids: list[str]) -> None:
    from api.tasks import webhook_deliver

    for pk in ids:
        webhook_deliver.delay(pk)


def _claim(delivery_id, now: dt.datetime) -> bool:
    return bool(WebhookDelivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), pk=delivery_id, done_at__isnull=True,
        failed_at__isnull=True, next_attempt_at__lte=now).update(claimed_until=now + CLAIM_FOR))


def _post(delivery: WebhookDelivery) -> int:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = int(timezone.now().timestamp())
    request = urllib.request.Request(delivery.client.webhook_url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "jxjy-webhooks/1",
        "X-Jxjy-Event": delivery.event, "X-Jxjy-Delivery": str(delivery.pk), "X-Jxjy-Timestamp": str(timestamp),
        "X-Jxjy-Signature": sign(delivery.client.webhook_secret, timestamp, body)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (checked scheme)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes, at most two hours apart."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def webhook_deliver(*, delivery_id, now: dt.datetime | None = None) -> bool:
    """Make one attempt if the delivery is due and not claimed elsewhere; True when it is done."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return False
    delivery = WebhookDelivery.objects.select_related("client").get(pk=delivery_id)
    status, error = None, ""
    try:
        status = _post(delivery)
    except Exception as exc:  # network errors of every kind: retried
        error = f"{type(exc).__name__}: {exc}"[:300]
    attempts = delivery.attempts + 1
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=delivery_id).update(done_at=timezone.now(), attempts=F("attempts") + 1,
                                                              last_status=status, claimed_until=None)
        return True
    following = now + retry_delay(attempts)
    given_up = following > delivery.created_at + RETRY_WINDOW
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        attempts=F("attempts") + 1, last_status=status, last_error=error or f"HTTP {status}", claimed_until=None,
        next_attempt_at=following, failed_at=now if given_up else None)
    return False


def webhooks_due(*, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    return [str(pk) for pk in WebhookDelivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), done_at__isnull=True, failed_at__isnull=True,
        next_attempt_at__lte=now).values_list("pk", flat=True)[:1000]]

"""Webhooks: signed POST per the contract to a local HTTP server, retries with growing intervals, claims."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.exceptions import ValidationError

from api import webhooks
from api.clients import client_create
from api.models import WebhookDelivery
from filings import services
from tests.api.conftest import own_plan
from tests.filings.conftest import NOW


class Receiver:
    """A local HTTP server answering each POST with the next status in `statuses`."""

    def __init__(self, statuses):
        self.statuses, self.received = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_for(settings):
    settings.API_WEBHOOK_ALLOW_HTTP = True
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


def test_a_state_change_is_posted_signed_per_the_contract(receiver_for, owner_org, owner, chifeng_bureau,
                                                          django_capture_on_commit_callbacks):
    receiver = receiver_for()
    _client, _token, secret = client_create(organisation=owner_org, name="平台", scopes=["plans"],
                                            webhook_url=receiver.url)
    plan = own_plan(owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, actor=owner, now=NOW)
    (headers, body), = receiver.received
    assert json.loads(body) == {"event": "plan.state_changed", "filing_no": plan.filing_no, "from": "draft",
                                "to": "submitted", "at": "2026-03-01T09:00:00+08:00", "reason": ""}
    assert headers["X-Jxjy-Event"] == "plan.state_changed"
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Jxjy-Delivery"] == str(delivery.id) and delivery.done_at is not None
    expected = hmac.new(secret.encode(), f"{headers['X-Jxjy-Timestamp']}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["X-Jxjy-Signature"] == f"sha256={expected}"
    assert int(headers["X-Jxjy-Timestamp"]) == int(NOW.timestamp())


def test_a_failed_delivery_is_retried_with_growing_intervals_for_24_hours(receiver_for, owner_org, owner,
                                                                          chifeng_bureau):
    receiver = receiver_for([500, 503, 500])
    client_create(organisation=owner_org, name="平台", scopes=["plans"], webhook_url=receiver.url)
    services.plan_submit(plan=own_plan(owner), actor=owner, now=NOW)
    delivery = WebhookDelivery.objects.get()
    moments = []
    moment = NOW
    for _ in range(4):
        with time_machine.travel(moment, tick=False):
            assert webhooks.webhook_deliver(delivery_id=delivery.pk, now=moment) is (len(moments) == 3)
        delivery.refresh_from_db()
        moments.append(moment)
        moment = delivery.next_attempt_at if delivery.done_at is None else moment
    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    assert gaps == [dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    ids = {headers["X-Jxjy-Delivery"] for headers, _ in receiver.received}
    assert len(receiver.received) == 4 and ids == {str(delivery.pk)} and delivery.attempts == 4


def test_after_24_hours_it_gives_up(owner_org, owner, chifeng_bureau, settings):
    settings.API_WEBHOOK_ALLOW_HTTP = True
    client_create(organisation=owner_org, name="平台", scopes=["plans"], webhook_url="http://127.0.0.1:9/none")
    services.plan_submit(plan=own_plan(owner), actor=owner, now=NOW)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=NOW + dt.timedelta(hours=23, minutes=59, seconds=30))
    late = NOW + dt.timedelta(hours=23, minutes=59, seconds=30)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk, now=late) is False
    delivery.refresh_from_db()
    assert delivery.failed_at == late and delivery.last_error
    assert webhooks.webhooks_due(now=late + dt.timedelta(hours=3)) == []


def test_a_claimed_delivery_is_not_made_twice_at_once(owner_org, owner, chifeng_bureau, settings):
    settings.API_WEBHOOK_ALLOW_HTTP = True
    client_create(organisation=owner_org, name="平台", scopes=["plans"], webhook_url="http://127.0.0.1:9/none")
    services.plan_submit(plan=own_plan(owner), actor=owner, now=NOW)
    delivery = WebhookDelivery.objects.get()
    assert webhooks._claim(delivery.pk, NOW) is True
    assert webhooks._claim(delivery.pk, NOW) is False
    assert webhooks.webhook_deliver(delivery_id=delivery.pk, now=NOW) is False
    assert webhooks.webhooks_due(now=NOW) == []
    delivery.refresh_from_db()
    assert delivery.attempts == 0


def test_only_https_urls_outside_tests_and_no_rows_without_a_url(owner_org, owner, chifeng_bureau):
    with pytest.raises(ValidationError):
        client_create(organisation=owner_org, name="平台", scopes=["plans"], webhook_url="http://example.com/hook")
    client_create(organisation=owner_org, name="无回调", scopes=["plans"])
    services.plan_submit(plan=own_plan(owner), actor=owner, now=NOW)
    assert not WebhookDelivery.objects.exists()


def test_the_beat_sweep_enqueues_due_deliveries(receiver_for, owner_org, owner, chifeng_bureau):
    from api.tasks import webhook_sweep

    receiver = receiver_for()
    client_create(organisation=owner_org, name="平台", scopes=["plans"], webhook_url=receiver.url)
    services.plan_submit(plan=own_plan(owner), actor=owner, now=NOW)
    assert webhook_sweep() == 1
    assert WebhookDelivery.objects.get().done_at is not None and len(receiver.received) == 1
    assert webhook_sweep() == 0

"""Idempotency-Key per the contract: the first answer again, 409 for anything different or still running."""

import datetime as dt

import time_machine
from django.utils import timezone

from api.models import IdempotencyKey
from filings.models import TrainingPlan
from tests.api.conftest import own_plan, plan_json
from tests.filings.conftest import NOW


def test_a_repeat_gets_the_first_answer_and_changes_nothing(call):
    first = call("POST", "plans", plan_json(), key="k-1")
    again = call("POST", "plans", plan_json(), key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert TrainingPlan.objects.count() == 1


def test_the_same_json_value_written_differently_is_the_same_request(call):
    body = plan_json()
    first = call("POST", "plans", raw=b'{"title": ' + f'"{body["title"]}"'.encode() + b"}", key="k-2")
    reordered = b'{  "title" :"' + body["title"].encode() + b'"  }'
    again = call("POST", "plans", raw=reordered, key="k-2")
    assert first.status_code == 400 and again.status_code == 400 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


def test_a_4xx_is_kept_too(call):
    bad = plan_json(subject="history")
    assert call("POST", "plans", bad, key="k-3").status_code == 422
    assert call("POST", "plans", bad, key="k-3")["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_or_path_is_409(call, owner):
    call("POST", "plans", plan_json(), key="k-4")
    changed = call("POST", "plans", plan_json(hours=16), key="k-4")
    assert changed.status_code == 409 and changed["Content-Type"] == "application/problem+json"
    plan = own_plan(owner)
    elsewhere = call("POST", f"plans/{plan.filing_no}/submit", key="k-4")
    assert elsewhere.status_code == 409
    plan.refresh_from_db()
    assert plan.state == "draft" and TrainingPlan.objects.count() == 2


def test_a_repeat_while_the_first_runs_is_409_with_retry_after(call, api_client_and_token):
    IdempotencyKey.objects.create(client=api_client_and_token[0], key="k-5", fingerprint="x", created_at=timezone.now())
    response = call("POST", "plans", plan_json(), key="k-5")
    assert response.status_code == 409 and int(response["Retry-After"]) >= 1
    assert not TrainingPlan.objects.exists()


def test_keys_belong_to_their_client(call, outsider_call):
    assert call("POST", "plans", plan_json(), key="shared").status_code == 201
    assert outsider_call("POST", "plans", plan_json(), key="shared").status_code == 201
    assert TrainingPlan.objects.count() == 2


def test_after_24_hours_a_key_is_new_again(call):
    call("POST", "plans", plan_json(), key="k-6")
    with time_machine.travel(NOW + dt.timedelta(hours=25), tick=False):
        again = call("POST", "plans", plan_json(starts_at=NOW + dt.timedelta(days=40)), key="k-6")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert TrainingPlan.objects.count() == 2


def test_a_5xx_is_not_kept(call, monkeypatch):
    from filings import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "plan_create", broken)
    assert call("POST", "plans", plan_json(), key="k-7").status_code == 500
    monkeypatch.undo()
    assert call("POST", "plans", plan_json(), key="k-7").status_code == 201
    assert not IdempotencyKey.objects.filter(key="k-7", status=500).exists()


def test_an_invalid_key_is_400(call):
    assert call("POST", "plans", plan_json(), key="x" * 65).status_code == 400
    assert call("POST", "plans", plan_json(), key="").status_code == 400
    assert not TrainingPlan.objects.exists()

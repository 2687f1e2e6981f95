"""Clients with tokens, and a caller that speaks to /api/v1/ with a bearer token, at the filings' NOW."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from api.clients import client_create
from filings import services
from tests.factories import OrganisationFactory, division
from tests.filings.conftest import NOW, TEACHERS, plan_data


@pytest.fixture(autouse=True)
def at_now(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


class Caller:
    def __init__(self, django_client, token: str | None):
        self.client, self.token = django_client, token

    def __call__(self, method: str, path: str, body=None, *, raw: bytes | None = None, key: str | None = None,
                 token: str | None = "default", **headers):
        token = self.token if token == "default" else token
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        data = raw if raw is not None else (json.dumps(body, ensure_ascii=False) if body is not None else None)
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = {"content_type": "application/json"} if data is not None else {}
        return getattr(self.client, method.lower())(url, data, **kwargs, **extra) if data is not None else \
            getattr(self.client, method.lower())(url, **extra)


def make_client(organisation, scopes=("plans", "rosters", "completions", "ledger"), **kwargs):
    client, token, _secret = client_create(organisation=organisation, name=kwargs.pop("name", "培训平台"),
                                           scopes=list(scopes), **kwargs)
    return client, token


@pytest.fixture
def api_client_and_token(owner_org, chifeng_bureau):
    return make_client(owner_org)


@pytest.fixture
def call(client, api_client_and_token):
    return Caller(client, api_client_and_token[1])


@pytest.fixture
def outsider_call(client, outsider_org, ordos_bureau):
    return Caller(client, make_client(outsider_org, name="他单位平台")[1])


def plan_json(**overrides) -> dict:
    data = plan_data(**overrides)
    body = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in data.items() if v is not None}
    body["fee"] = float(body["fee"])
    body["teachers"] = TEACHERS
    return body


@pytest.fixture
def filed_plan(call):
    """A draft plan filed through the API."""
    response = call("POST", "plans", plan_json())
    assert response.status_code == 201, response.content
    return response.json()


def own_plan(organiser_user, **overrides):
    return services.plan_create(actor=organiser_user, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)


__all__ = ["OrganisationFactory", "division"]

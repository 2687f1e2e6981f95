"""Schemathesis against the generated OpenAPI document, with a valid token: no 5xx, responses as documented.

Bounded (a few examples per operation) so that the suite stays fast; the document is taken from the API
object itself, and requests go to the WSGI application in-process, inside the test's database transaction.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.api import api
from api.models import ApiClient
from tests.api.conftest import make_client, own_plan

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
APP = WSGIHandler()
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's test client does this too: a request must not close the connection holding the test's
    transaction (on PostgreSQL, close_old_connections would end it after each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(owner_org, chifeng_bureau, owner):
    own_plan(owner)  # something to list and read
    client, token = make_client(owner_org)
    ApiClient.objects.filter(pk=client.pk).update(rate_limit_per_minute=100_000)
    return token


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_the_api_matches_its_document(case, token):
    case.call_and_validate(app=APP, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

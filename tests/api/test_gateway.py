"""Tokens, problem+json for every error, body limit, rate limit, the request log, the public document."""

import re

from django.core.management import call_command

from api.clients import client_revoke, token_hash
from api.models import ApiClient, ApiRequestLog
from filings.models import TrainingPlan
from tests.api.conftest import Caller, make_client, plan_json
from tests.factories import UserFactory


def test_the_command_prints_the_token_last_and_stores_only_its_hash(capsys, owner_org, client):
    call_command("create_api_client", organisation=owner_org.name, scopes="plans,rosters", name="松山基地系统")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    stored = ApiClient.objects.get(name="松山基地系统")
    assert stored.token_hash == token_hash(token) and token not in str(ApiClient.objects.values().get())
    assert stored.scopes == ["plans", "rosters"] and stored.organisation == owner_org
    assert Caller(client, token)("GET", "plans").status_code == 200


def test_the_command_takes_the_organisation_id_and_refuses_unknown_scopes(capsys, owner_org):
    call_command("create_api_client", organisation=str(owner_org.pk), scopes="ledger", name="人才库")
    assert ApiClient.objects.get(name="人才库").organisation == owner_org
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="权限范围无效"):
        call_command("create_api_client", organisation=str(owner_org.pk), scopes="everything", name="x")


def test_no_unknown_or_revoked_token_is_401_problem(client, api_client_and_token, reviewer):
    api_client, token = api_client_and_token
    for caller in (Caller(client, None), Caller(client, "jxjy_wrong")):
        response = caller("GET", "plans")
        assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 401 and "Bearer" in response["WWW-Authenticate"]
    assert Caller(client, token)("GET", "plans").status_code == 200
    client_revoke(client=api_client, actor=reviewer)
    assert Caller(client, token)("GET", "plans").status_code == 401


def test_every_request_is_logged_with_its_client(call, api_client_and_token):
    call("GET", "plans")
    call("GET", "plans", token=None)
    rows = list(ApiRequestLog.objects.order_by("pk").values_list("client", "path", "status"))
    assert rows == [(api_client_and_token[0].pk, "/api/v1/plans", 200), (None, "/api/v1/plans", 401)]


def test_malformed_json_is_400_problem(call):
    response = call("POST", "plans", raw=b'{"title": "x",')
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "JSON" in response.json()["detail"]
    assert call("POST", "plans", raw=b"[1, 2]").status_code == 400
    assert call("POST", "plans", raw="\udcff".encode("utf-8", "surrogatepass")).status_code == 400


def test_text_that_cannot_be_stored_is_400(call):
    response = call("POST", "plans", plan_json(title="a\x00b"))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "title"
    assert not TrainingPlan.objects.exists()


def test_a_body_over_the_limit_is_413_problem(call, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = call("POST", "plans", plan_json(content="很" * 1000))
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert not TrainingPlan.objects.exists()


def test_an_unknown_path_and_method_are_problems_too(call):
    response = call("GET", "nowhere")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    response = call("DELETE", "plans")
    assert response.status_code == 405 and response["Content-Type"] == "application/problem+json"


def test_past_the_rate_limit_it_is_429_with_retry_after(call, api_client_and_token):
    api_client, _ = api_client_and_token
    ApiClient.objects.filter(pk=api_client.pk).update(rate_limit_per_minute=3)
    statuses = [call("GET", "plans").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = call("GET", "plans")
    assert response["Content-Type"] == "application/problem+json" and 1 <= int(response["Retry-After"]) <= 60


def test_the_document_and_docs_page_need_no_sign_in_and_no_cdn(client):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    paths = document.json()["paths"]
    for path in ("/api/v1/plans", "/api/v1/plans/{filing_no}", "/api/v1/plans/{filing_no}/submit",
                 "/api/v1/plans/{filing_no}/roster", "/api/v1/completions", "/api/v1/ledger/changes",
                 "/api/v1/persons/{id_number}/hours", "/api/v1/eligibility"):
        assert path in paths
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert page.status_code == 200 and sources and all(s.startswith("/static/") for s in sources)
    assert "swagger-ui-bundle.js" in html
    from django.contrib.staticfiles import finders

    assert all(finders.find(s.removeprefix("/static/")) for s in sources)  # our own files, collected by collectstatic


def test_the_authority_creates_lists_and_revokes_clients_on_a_page(client, reviewer, owner_org):
    client.force_login(reviewer)
    response = client.post("/api-clients/", {"organisation": owner_org.pk, "name": "网络学院", "scopes": ["plans"]})
    token = re.search(r"<code>(jxjy_[^<]+)</code>", response.content.decode()).group(1)
    created = ApiClient.objects.get(name="网络学院")
    assert created.token_hash == token_hash(token) and response["Cache-Control"] == "no-store"
    listed = client.get("/api-clients/").content.decode()
    assert "网络学院" in listed and token not in listed
    client.post(f"/api-clients/{created.pk}/revoke/")
    created.refresh_from_db()
    assert created.revoked_at is not None and not created.service_user.is_active


def test_other_authorities_and_organisers_cannot_manage_the_clients(client, reviewer_other_league, owner, owner_org,
                                                                    chifeng_bureau):
    api_client, _ = make_client(owner_org)
    client.force_login(reviewer_other_league)
    response = client.post("/api-clients/", {"organisation": owner_org.pk, "name": "冒名", "scopes": ["plans"]})
    assert not ApiClient.objects.filter(name="冒名").exists() and response.status_code == 200
    assert client.post(f"/api-clients/{api_client.pk}/revoke/").status_code == 404
    client.force_login(owner)
    assert client.get("/api-clients/").status_code == 403
    admin = UserFactory(role="admin", organisation=None)
    client.force_login(admin)
    assert "培训平台" in client.get("/api-clients/").content.decode()


def test_unstorable_text_anywhere_is_400_before_any_endpoint(call, owner):
    from tests.api.conftest import own_plan

    plan = own_plan(owner)
    body = b'{"rows": [{"name": "ok"}, {"name": "bad\\ud800"}]}'
    response = call("PUT", f"plans/{plan.filing_no}/roster", raw=body)
    assert response.status_code == 400 and response.json()["errors"][0]["row"] == 2
    assert response.json()["errors"][0]["field"] == "name"
    assert call("POST", "eligibility", raw=b'{"review": {"kind": "\\u0000"}}').status_code == 400


def test_a_database_outage_is_a_503_problem_with_retry_after(call, monkeypatch):
    from django.db import OperationalError

    from api import gateway

    def down(token):
        raise OperationalError("the connection is closed")

    monkeypatch.setattr(gateway, "client_for_token", down)
    response = call("GET", "plans")
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "15"

"""The contract's flows end to end: a base files, submits and puts a roster; a platform reports completions
that the authority certifies; the talent database reads them from the feed; webhooks tell the base."""

import datetime as dt

from django.core.management import call_command

from api.models import CompletionBatch, WebhookDelivery
from filings import services
from filings.models import TrainingPlan
from tests.api.conftest import Caller, make_client, plan_json
from tests.api.test_roster import as_json
from tests.filings.conftest import NOW
from tests.filings.test_roster_support import make_id, person


def test_a_base_files_submits_and_puts_a_roster(client, owner_org, chifeng_bureau, reviewer, capsys, settings):
    settings.API_WEBHOOK_ALLOW_HTTP = True
    call_command("create_api_client", organisation=owner_org.name, scopes="plans,rosters", name="基地系统",
                 webhook_url="http://127.0.0.1:9/hook")
    call = Caller(client, capsys.readouterr().out.strip().splitlines()[-1])
    filed = call("POST", "plans", plan_json(), key="file-1")
    assert filed.status_code == 201
    filing_no = filed.json()["filing_no"]
    assert call("POST", f"plans/{filing_no}/submit", key="submit-1").json()["state"] == "submitted"
    plan = TrainingPlan.objects.get(filing_no=filing_no)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve")
    services.plans_advance_by_clock(now=plan.ends_at)
    rows = [as_json(person(n)) for n in (1, 2, 3)]
    assert call("PUT", f"plans/{filing_no}/roster?dry_run=true", {"rows": rows}).json()["imported"] == 0
    assert call("PUT", f"plans/{filing_no}/roster", {"rows": rows}, key="roster-1").json()["imported"] == 3
    detail = call("GET", f"plans/{filing_no}").json()
    assert detail["state"] == "awaiting_report" and detail["report_due_at"]
    assert [(h["from"], h["to"]) for h in detail["history"]] == [
        ("draft", "draft"), ("draft", "submitted"), ("submitted", "approved"), ("approved", "in_training"),
        ("in_training", "awaiting_report")]
    assert [d.payload["to"] for d in WebhookDelivery.objects.order_by("created_at")] == [
        "submitted", "approved", "in_training", "awaiting_report"]


def test_a_platform_reports_completions_that_reach_the_talent_database(client, owner, reviewer, region_bureau):
    platform = Caller(client, make_client(owner.organisation, scopes=["plans", "completions"])[1])
    talent_database = Caller(client, make_client(region_bureau, scopes=["ledger"], name="人才信息库")[1])
    body = plan_json(mode="online", subject="public", title="2026年公需科目网络培训", hours=30,
                     starts_at=NOW + dt.timedelta(days=20), ends_at=NOW + dt.timedelta(days=80)) | {
                        "teachers": [], "platform": "nmg.chinahrt.com"}
    filing_no = platform("POST", "plans", body).json()["filing_no"]
    platform("POST", f"plans/{filing_no}/submit")
    services.plan_decide(plan=TrainingPlan.objects.get(filing_no=filing_no), actor=reviewer, decision="approve")
    records = [{"record_id": f"P-{n}", "id_number": make_id(n), "name": f"学员{n}", "subject": "public", "hours": 30,
                "completed_on": "2026-04-01", "exam_passed": True} for n in (1, 2)]
    assert platform("POST", "completions", {"plan": filing_no, "records": records}).json()["accepted"] == 2
    assert talent_database("GET", "ledger/changes").json()["entries"] == []
    client.force_login(reviewer)
    client.post(f"/api-clients/completions/{CompletionBatch.objects.get().pk}/certify/")
    entries = talent_database("GET", "ledger/changes").json()["entries"]
    assert sorted(e["id_number"] for e in entries) == [make_id(1), make_id(2)]
    assert {e["plan"] for e in entries} == {filing_no} and {e["hours"] for e in entries} == {30}
    hours = talent_database("GET", f"persons/{make_id(1)}/hours").json()
    assert hours["years"] == [{"year": 2026, "public": 30, "professional": 0, "total": 30}]

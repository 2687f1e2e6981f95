"""Online completions: checked like roster rows, all or nothing, duplicates reported, certified per batch."""

import datetime as dt

import pytest

from accounts.models import AuditEvent, Role
from api import completions
from api.models import CompletionBatch, CompletionRecord
from filings import services
from ledger.models import HourEntry
from tests.api.conftest import own_plan
from tests.factories import UserFactory
from tests.filings.conftest import NOW
from tests.filings.test_roster_support import make_id


@pytest.fixture
def online_plan(owner, reviewer):
    plan = own_plan(owner, mode="online", subject="public", title="2026年公需科目网络培训", hours=30, platform=PLATFORM,
                    starts_at=NOW + dt.timedelta(days=20), ends_at=NOW + dt.timedelta(days=80))
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    return services.plan_decide(plan=plan, actor=reviewer, decision="approve")


PLATFORM = "nmg.chinahrt.com"  # one of the platforms the 2026 notice lists


def record(n: int, **overrides) -> dict:
    return {"record_id": f"R-{n:05d}", "id_number": make_id(n), "name": f"学员{n}", "subject": "public",
            "hours": 30, "completed_on": "2026-04-01", "exam_passed": True} | overrides


def post(call, plan, records):
    return call("POST", "completions", {"plan": plan.filing_no, "records": records})


def test_it_accepts_a_batch_and_reports_known_record_ids_back(call, online_plan):
    first = post(call, online_plan, [record(1), record(2)])
    assert first.status_code == 200 and first.json()["accepted"] == 2 and first.json()["duplicates"] == []
    again = post(call, online_plan, [record(2), record(3)])
    assert again.json()["accepted"] == 1 and again.json()["duplicates"] == ["R-00002"]
    assert CompletionRecord.objects.count() == 3 and CompletionBatch.objects.count() == 2
    assert HourEntry.objects.count() == 0


def test_every_bad_record_is_reported_and_nothing_is_kept(call, online_plan):
    response = post(call, online_plan, [
        record(1), record(2, id_number="150404198506120001"), record(3, hours=31), record(4, subject="professional"),
        record(5, completed_on="2026-01-01"), record(6, id_number=make_id(1)), record(7, name=" "),
        record(8, sex="女"), record(1)])
    assert response.status_code == 422
    rows = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert rows == {(2, "id_number"), (3, "hours"), (4, "subject"), (5, "completed_on"), (6, "id_number"),
                    (7, "name"), (8, "sex"), (9, "record_id"), (9, "id_number")}
    messages = {e["field"]: e["message"] for e in response.json()["errors"] if e["row"] == 3}
    assert messages["hours"] == "学时 31 超过了计划每人学时 30。"
    assert not CompletionRecord.objects.exists()


def test_the_plan_must_be_an_open_online_plan_of_the_organisation(call, outsider_call, owner, online_plan):
    face = own_plan(owner)
    assert post(call, face, [record(1)]).status_code == 409
    assert post(outsider_call, online_plan, [record(1)]).status_code == 403
    services.plans_advance_by_clock(now=online_plan.ends_at)
    assert post(call, online_plan, [record(1)]).status_code == 409
    assert call("POST", "completions", {"plan": "备-无此计划", "records": []}).status_code == 404


def test_more_than_ten_thousand_records_are_refused(call, online_plan):
    records = [record(n, record_id=f"X{n}") for n in range(10_001)]
    response = post(call, online_plan, records)
    assert response.status_code == 422 and "10000" in response.json()["detail"]


def test_exam_passed_is_required_only_where_the_rule_set_says(call, online_plan, monkeypatch):
    assert post(call, online_plan, [record(1, exam_passed=None)]).status_code == 200
    monkeypatch.setattr(completions, "exam_required", lambda plan: True)
    response = post(call, online_plan, [record(2, exam_passed=None)])
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "exam_passed"


def test_the_rule_set_flag_is_read_defensively(online_plan, monkeypatch):
    from rules.selectors import Policy

    for params, expected in (({}, False), ({"public_exam_required": True}, True),
                             ({"exam_required": {"professional": True}}, False), ({"exam_required": ["public"]}, True)):
        monkeypatch.setattr(completions, "policy_for", lambda params=params, **kw: Policy(params=params, sources=("t",)))
        assert completions.exam_required(online_plan) is expected


def test_the_authority_certifies_a_batch_into_the_ledger(call, online_plan, reviewer, client, monkeypatch):
    post(call, online_plan, [record(1), record(2, exam_passed=False)])
    monkeypatch.setattr(completions, "exam_required", lambda plan: True)
    batch = CompletionBatch.objects.get()
    client.force_login(reviewer)
    assert "2026年公需科目网络培训" in client.get("/api-clients/completions/").content.decode()
    client.post(f"/api-clients/completions/{batch.pk}/certify/")
    batch.refresh_from_db()
    entry = HourEntry.objects.get()
    assert batch.status == "certified" and batch.decided_by == reviewer and "1 人考试未合格" in batch.reason
    assert (entry.person.id_number, entry.hours, entry.plan, entry.authority) == (
        make_id(1), 30, online_plan, online_plan.authority)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CERTIFICATION, target=online_plan.filing_no).exists()
    client.post(f"/api-clients/completions/{batch.pk}/certify/")
    assert HourEntry.objects.count() == 1


def test_a_returned_batch_reaches_no_ledger(call, online_plan, reviewer, client):
    post(call, online_plan, [record(1)])
    batch = CompletionBatch.objects.get()
    client.force_login(reviewer)
    client.post(f"/api-clients/completions/{batch.pk}/return/", {"reason": "名单有误"})
    batch.refresh_from_db()
    assert batch.status == "returned" and not HourEntry.objects.exists()
    assert post(call, online_plan, [record(1, record_id="R-NEW")]).status_code == 200


def test_four_eyes_nobody_certifies_their_own_organisations_training(call, online_plan, reviewer_other_league,
                                                                     chifeng_bureau):
    post(call, online_plan, [record(1)])
    batch = CompletionBatch.objects.get()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        completions.completion_batch_certify(batch=batch, actor=reviewer_other_league)
    own_reviewer = UserFactory(role=Role.REVIEWER, organisation=online_plan.organiser)
    with pytest.raises(PermissionDenied):
        completions.completion_batch_certify(batch=batch, actor=own_reviewer)
    assert not HourEntry.objects.exists()


def test_completions_scope_is_needed(client, owner_org, online_plan):
    from tests.api.conftest import Caller, make_client

    caller = Caller(client, make_client(owner_org, scopes=["plans"])[1])
    assert post(caller, online_plan, [record(1)]).status_code == 403


def test_the_batch_list_pages_and_filters_by_status(call, online_plan, reviewer, client):
    for n in range(55):
        post(call, online_plan, [record(n, record_id=f"B-{n:03d}")])
    CompletionBatch.objects.filter(pk=CompletionBatch.objects.order_by("pk").first().pk).update(status="returned")
    client.force_login(reviewer)
    first = client.get("/api-clients/completions/").content.decode()
    assert "共 55 条" in first and "第 1/2 页" in first
    assert "共 1 条" in client.get("/api-clients/completions/", {"status": "returned"}).content.decode()
    assert "共 0 条" in client.get("/api-clients/completions/", {"q": "没有这个培训"}).content.decode()

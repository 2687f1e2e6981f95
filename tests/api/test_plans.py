import datetime as dt

from filings.models import PlanState, PlanTransition, TrainingPlan
from tests.api.conftest import make_client, own_plan, plan_json
from tests.filings.conftest import NOW


def test_it_files_a_draft_plan_through_the_web_service(call, owner_org):
    response = call("POST", "plans", plan_json())
    assert response.status_code == 201
    body = response.json()
    plan = TrainingPlan.objects.get(filing_no=body["filing_no"])
    assert plan.organiser == owner_org and plan.state == PlanState.DRAFT
    assert body["state"] == "draft" and body["hours"] == 24 and body["teachers"][0]["name"] == "高文博"
    assert body["starts_at"].endswith("+08:00")
    assert body["history"] == [{"from": "draft", "to": "draft", "at": body["history"][0]["at"], "reason": "创建草稿"}]
    assert plan.created_by == plan.organiser.api_clients.get().service_user


def test_a_rule_break_is_422_with_the_web_forms_words(call):
    response = call("POST", "plans", plan_json(mode="face_to_face") | {"teachers": [], "subject": "history"})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    fields = {row["field"]: row["message"] for row in response.json()["errors"]}
    assert fields["teachers"] == "面授（含线上+线下）培训须填写至少一名师资。"
    assert "科目类别“history”无效" in fields["subject"]
    assert not TrainingPlan.objects.exists()


def test_a_wrong_type_is_400_not_ninjas_422(call):
    response = call("POST", "plans", plan_json() | {"hours": "很多", "starts_at": "明天"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] and body["detail"]
    assert {row["field"] for row in body["errors"]} >= {"hours", "starts_at"}


def test_the_list_is_newest_first_filtered_and_paged_by_cursor(call, owner):
    plans = [own_plan(owner) for _ in range(5)]
    own_plan(owner, starts_at=NOW + dt.timedelta(days=400))
    response = call("GET", "plans?year=2026&limit=2")
    page = response.json()
    assert [p["filing_no"] for p in page["results"]] == [plans[4].filing_no, plans[3].filing_no]
    seen = [p["filing_no"] for p in page["results"]]
    while page["next"]:
        assert "year=2026" in page["next"]
        page = call("GET", page["next"].split("testserver")[1]).json()
        seen += [p["filing_no"] for p in page["results"]]
    assert seen == [p.filing_no for p in reversed(plans)]
    assert call("GET", "plans?state=submitted").json() == {"results": [], "next": None}
    assert call("GET", "plans?state=nonsense").status_code == 400
    assert call("GET", "plans?cursor=garbage").status_code == 400


def test_updated_since_follows_the_transition_rows(call, owner):
    old, changed = own_plan(owner), own_plan(owner)
    PlanTransition.objects.filter(plan=old).update(at=NOW - dt.timedelta(days=3))
    since = (NOW - dt.timedelta(days=1)).isoformat()
    response = call("GET", f"plans?updated_since={since.replace('+', '%2B')}")
    assert [p["filing_no"] for p in response.json()["results"]] == [changed.filing_no]


def test_a_plan_reads_with_its_history(call, owner):
    plan = own_plan(owner)
    body = call("GET", f"plans/{plan.filing_no}").json()
    assert body["filing_no"] == plan.filing_no and body["report_due_at"] is None
    assert body["history"][0]["to"] == "draft"


def test_another_organisations_plan_is_404_to_read_and_403_to_write(outsider_call, owner, chifeng_bureau):
    plan = own_plan(owner)
    assert outsider_call("GET", f"plans/{plan.filing_no}").status_code == 404
    response = outsider_call("POST", f"plans/{plan.filing_no}/submit")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT
    assert outsider_call("GET", "plans").json()["results"] == []


def test_it_submits_through_the_web_service(call, owner):
    plan = own_plan(owner)
    response = call("POST", f"plans/{plan.filing_no}/submit")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED and plan.transitions.filter(to_state="submitted").count() == 1
    again = call("POST", f"plans/{plan.filing_no}/submit")
    assert again.status_code == 409


def test_a_late_plan_is_422_naming_the_last_moment(call, owner):
    plan = own_plan(owner, starts_at=NOW + dt.timedelta(days=5))
    response = call("POST", f"plans/{plan.filing_no}/submit")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "最迟应于" in detail and "2026年02月" in detail
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_missing_scope_is_403(client, owner_org, chifeng_bureau, owner):
    from tests.api.conftest import Caller

    call = Caller(client, make_client(owner_org, scopes=["ledger"])[1])
    assert call("GET", "plans").status_code == 403
    assert call("POST", "plans", plan_json()).status_code == 403
    assert not TrainingPlan.objects.exists()


def test_unknown_plan_is_404(call):
    assert call("GET", "plans/备-2026-1504-99999").status_code == 404
    assert call("POST", "plans/备-2026-1504-99999/submit").status_code == 404


def test_odd_offsets_are_read_as_local_time_and_impossible_times_are_400(call, owner):
    own_plan(owner)
    assert call("GET", "plans?updated_since=0557-10-30T00:05:29%2B17:26").status_code == 200
    assert call("GET", "plans?updated_since=2026-01-01T00:00:00").status_code == 400  # no offset
    body = plan_json(starts_at=NOW + dt.timedelta(days=30))
    body["starts_at"] = (NOW + dt.timedelta(days=30)).astimezone(dt.timezone(dt.timedelta(hours=17, minutes=26))).isoformat()
    response = call("POST", "plans", body)
    assert response.status_code == 201 and response.json()["starts_at"].endswith("+08:00")
    assert call("POST", "plans", plan_json() | {"starts_at": "9999-12-31T23:59:59-15:00"}).status_code == 400


def test_an_online_plan_needs_a_listed_platform_only_where_the_rules_ask(call):
    body = plan_json(mode="online", subject="public") | {"teachers": []}
    response = call("POST", "plans", body)
    assert response.status_code == 422 and "platform" in {row["field"] for row in response.json()["errors"]}
    accepted = call("POST", "plans", body | {"platform": "nmg.chinahrt.com"})
    assert accepted.status_code == 201 and accepted.json()["platform"] == "nmg.chinahrt.com"
    assert call("POST", "plans", plan_json()).json()["platform"] == ""

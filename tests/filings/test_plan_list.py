"""The plan list: search, filters, pagination, export of the same filter, drafts kept from reviewers."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from filings import services
from filings.models import PlanState, TrainingPlan
from tests.filings.conftest import NOW

pytestmark = pytest.mark.django_db
URL = "/plans/"


def bulk_plans(owner, authority, n, *, state=PlanState.SUBMITTED, title="批量培训班", start=0, **extra):
    rows = [TrainingPlan(
        filing_no=f"BULK{start + i:08d}", organiser=owner.organisation, authority=authority,
        title=f"{title}{start + i}", subject="professional", mode="online",
        starts_at=NOW + dt.timedelta(days=30, minutes=i), ends_at=NOW + dt.timedelta(days=31, minutes=i),
        place="线上", content="内容", trainee_scope="全体", planned_headcount=10, hours=8,
        contact_person="王", contact_phone="0476-1", credit_year=2026, state=state, created_by=owner,
        submitted_at=None if state == PlanState.DRAFT else NOW, **extra) for i in range(n)]
    TrainingPlan.objects.bulk_create(rows, batch_size=500)


def test_the_list_url_is_the_plan_list():
    assert reverse("filings:plan_list") == URL


def test_search_finds_a_plan_by_filing_number_title_and_organiser(client, make_plan, owner, reviewer, chifeng_bureau):
    wanted = services.plan_submit(plan=make_plan(title="急诊医学新进展"), actor=owner, now=NOW)
    other = services.plan_submit(plan=make_plan(title="建筑工程安全"), actor=owner, now=NOW)
    client.force_login(reviewer)
    by_title = client.get(URL, {"q": "急诊"}).content.decode()
    assert wanted.filing_no in by_title and other.filing_no not in by_title
    by_number = client.get(URL, {"q": wanted.filing_no}).content.decode()
    assert wanted.filing_no in by_number and other.filing_no not in by_number
    by_organiser = client.get(URL, {"q": "继续教育基地"}).content.decode()
    assert wanted.filing_no in by_organiser and other.filing_no in by_organiser
    assert "共 1 条" in by_title


def test_filters_by_state_year_and_league(client, make_plan, owner, region_reviewer, outsider, ordos_bureau):
    submitted = services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    bulk_plans(outsider, ordos_bureau, 1, state=PlanState.APPROVED, title="鄂尔多斯班")
    client.force_login(region_reviewer)
    body = client.get(URL, {"state": "approved"}).content.decode()
    assert "鄂尔多斯班0" in body and submitted.filing_no not in body
    body = client.get(URL, {"league": "150400"}).content.decode()
    assert submitted.filing_no in body and "鄂尔多斯班0" not in body
    assert "鄂尔多斯班0" not in client.get(URL, {"year": "2025"}).content.decode()
    assert "鄂尔多斯班0" in client.get(URL, {"year": "2026"}).content.decode()


def test_a_reviewer_does_not_see_never_submitted_drafts_but_the_organiser_does(client, make_plan, owner, reviewer):
    draft = make_plan(title="尚未提交的草稿")
    filed = services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    client.force_login(reviewer)
    body = client.get(URL).content.decode()
    assert filed.filing_no in body and draft.filing_no not in body
    client.force_login(owner)
    assert draft.filing_no in client.get(URL).content.decode()


def test_a_reviewer_does_not_see_a_draft_cancelled_before_it_was_filed(client, make_plan, owner, reviewer):
    cancelled = services.plan_cancel(plan=make_plan(title="未提交即取消"), actor=owner, reason="计划有变", now=NOW)
    client.force_login(reviewer)
    assert cancelled.filing_no not in client.get(URL).content.decode()
    client.force_login(owner)
    assert cancelled.filing_no in client.get(URL).content.decode()


def test_a_withdrawn_plan_still_shows_to_the_reviewer(client, make_plan, owner, reviewer):
    plan = services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    services.plan_withdraw(plan=plan, actor=owner, reason="改期")
    client.force_login(reviewer)
    assert plan.filing_no in client.get(URL).content.decode()


def test_no_silent_truncation_every_row_is_on_some_page(client, owner, reviewer, chifeng_bureau):
    bulk_plans(owner, chifeng_bureau, 260)
    client.force_login(reviewer)
    seen = set()
    first = client.get(URL)
    assert first.context["listing"].total == 260
    pages = first.context["listing"].page.paginator.num_pages
    for number in range(1, pages + 1):
        seen |= {p.filing_no for p in client.get(URL, {"page": number}).context["plans"]}
    assert len(seen) == 260


def test_page_links_keep_the_filter(client, owner, reviewer, chifeng_bureau):
    bulk_plans(owner, chifeng_bureau, 120)
    client.force_login(reviewer)
    body = client.get(URL, {"q": "批量", "state": "submitted"}).content.decode()
    assert "?q=%E6%89%B9%E9%87%8F&amp;state=submitted&amp;page=2" in body


def test_an_invalid_filter_value_is_named_and_filters_nothing(client, make_plan, owner, reviewer):
    services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    client.force_login(reviewer)
    response = client.get(URL, {"state": "nonsense"})
    assert response.status_code == 200
    assert response.context["listing"].filter.errors["state"]
    assert response.context["listing"].total == 1


def _count(client, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx)


def test_a_thousand_rows_page_and_filter_with_a_constant_number_of_queries(client, owner, reviewer, chifeng_bureau):
    client.force_login(reviewer)
    bulk_plans(owner, chifeng_bureau, 10)
    few = {label: _count(client, params) for label, params in
           (("plain", {}), ("filtered", {"q": "批量", "state": "submitted", "league": "150400", "page": "1"}))}
    bulk_plans(owner, chifeng_bureau, 990, start=10)
    many = {label: _count(client, params) for label, params in
            (("plain", {}), ("filtered", {"q": "批量", "state": "submitted", "league": "150400", "page": "1"}))}
    assert many == few
    assert few["plain"] == 11  # pinned: session, user, context processors, count, one page, league choices
    assert _count(client, {"page": "20"}) == few["plain"]


def test_export_has_the_filtered_rows_only_with_formula_safe_text(client, owner, reviewer, chifeng_bureau):
    bulk_plans(owner, chifeng_bureau, 3, title="=HYPERLINK(\"http://x\")")
    bulk_plans(owner, chifeng_bureau, 2, title="其他培训", start=100)
    client.force_login(reviewer)
    response = client.get(URL, {"q": "HYPERLINK", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("备案编号", "培训名称", "组织单位")
    assert len(rows) == 4
    assert all(row[1].startswith("=HYPERLINK(") for row in rows[1:])  # no visible apostrophe
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(2, 5))  # text, never a formula


def test_export_respects_scope(client, owner, reviewer_other_league, chifeng_bureau):
    bulk_plans(owner, chifeng_bureau, 3)
    client.force_login(reviewer_other_league)
    response = client.get(URL, {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws.max_row == 1

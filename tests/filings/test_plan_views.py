import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings import services
from filings.models import PlanState
from tests.filings.conftest import NOW, TEACHERS, plan_data

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who,status", [
    ("owner", 200), ("reviewer", 200), ("region_reviewer", 200), ("inspector", 200),
    ("outsider", 404), ("reviewer_other_league", 404),
])
def test_who_sees_a_plans_page(client, request, submitted_plan, who, status):
    login(client, request.getfixturevalue(who))
    response = client.get(reverse("filings:plan_detail", args=[submitted_plan.pk]))
    assert response.status_code == status


def test_a_professional_is_refused_the_plan_list_and_an_anonymous_visitor_is_sent_to_login(
    client, professional, submitted_plan
):
    assert client.get(reverse("filings:plan_list")).status_code == 302
    login(client, professional)
    assert client.get(reverse("filings:plan_list")).status_code == 403
    assert client.get(reverse("filings:plan_detail", args=[submitted_plan.pk])).status_code == 404


def test_the_list_shows_only_what_is_in_scope(client, submitted_plan, outsider, reviewer_other_league, reviewer):
    for user, visible in ((outsider, False), (reviewer_other_league, False), (reviewer, True)):
        body = login(client, user).get(reverse("filings:plan_list")).content.decode()
        assert (submitted_plan.filing_no in body) is visible


def test_the_reviewer_approves_through_the_page(client, submitted_plan, reviewer, frozen_now):
    login(client, reviewer)
    client.post(reverse("filings:plan_decide", args=[submitted_plan.pk, "approve"]), {"reason": ""})
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == PlanState.APPROVED


def test_an_outsider_cannot_act_on_a_plan_it_cannot_see(client, submitted_plan, outsider, reviewer_other_league):
    for user, url in ((outsider, "filings:plan_withdraw"), (reviewer_other_league, "filings:plan_decide")):
        login(client, user)
        args = [submitted_plan.pk] + (["approve"] if url.endswith("decide") else [])
        assert client.post(reverse(url, args=args)).status_code == 404
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == PlanState.SUBMITTED


def test_an_inspector_sees_but_cannot_decide(client, submitted_plan, inspector):
    login(client, inspector)
    assert client.post(reverse("filings:plan_decide", args=[submitted_plan.pk, "approve"])).status_code == 403
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == PlanState.SUBMITTED


def test_a_late_submission_shows_the_last_filing_day(client, owner, chifeng_bureau, frozen_now):
    plan = services.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=10)),
                                teachers=TEACHERS, now=NOW)
    login(client, owner)
    response = client.post(reverse("filings:plan_submit", args=[plan.pk]), follow=True)
    assert "最迟应于 2026年02月25日 09:00 前提交" in response.content.decode()


def test_the_organiser_fills_the_web_form(client, owner, chifeng_bureau, frozen_now):
    login(client, owner)
    form = {k: v for k, v in plan_data().items() if v is not None}
    form["starts_at"] = "2026-04-01T09:00"
    form["ends_at"] = "2026-04-03T17:00"
    form.update({"teachers-TOTAL_FORMS": "1", "teachers-INITIAL_FORMS": "0",
                 "teachers-0-name": "高文博", "teachers-0-title": "教授", "teachers-0-employer": "内蒙古大学"})
    response = client.post(reverse("filings:plan_create"), form, follow=True)
    assert "备案编号 备-2026-1504-00001" in response.content.decode()


def _web_form(start: str, end: str) -> dict:
    form = {k: v for k, v in plan_data().items() if v is not None}
    form.update({"starts_at": start, "ends_at": end, "teachers-TOTAL_FORMS": "1", "teachers-INITIAL_FORMS": "0",
                 "teachers-0-name": "高文博", "teachers-0-title": "教授", "teachers-0-employer": "内蒙古大学"})
    return form


def test_a_draft_inside_the_lead_time_saves_with_a_warning_naming_the_exception_path(
        client, owner, chifeng_bureau, frozen_now):
    login(client, owner)
    response = client.post(reverse("filings:plan_create"), _web_form("2026-03-08T09:00", "2026-03-10T17:00"),
                           follow=True)
    body = response.content.decode()
    assert "培训计划已保存为草稿" in body
    assert "培训须在开始前 14 天备案，本计划最迟应于 2026年02月22日 09:00 前提交" in body
    assert "逾期备案特批" in body


def test_a_draft_in_good_time_saves_without_the_warning(client, owner, chifeng_bureau, frozen_now):
    login(client, owner)
    body = client.post(reverse("filings:plan_create"), _web_form("2026-04-01T09:00", "2026-04-03T17:00"),
                       follow=True).content.decode()
    assert "培训计划已保存为草稿" in body
    assert "天备案，本计划最迟应于" not in body


def test_the_history_names_a_drafts_creation_as_creation(client, owner, chifeng_bureau, frozen_now):
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    body = login(client, owner).get(reverse("filings:plan_detail", args=[plan.pk])).content.decode()
    assert "草稿 → 草稿" not in body
    assert "创建草稿" in body
    assert "草稿 → 待审核" in body


def test_the_web_form_shows_a_field_error_in_chinese(client, owner, chifeng_bureau, frozen_now):
    login(client, owner)
    form = {k: v for k, v in plan_data().items() if v is not None}
    form.update({"starts_at": "2026-04-03T09:00", "ends_at": "2026-04-01T17:00",
                 "teachers-TOTAL_FORMS": "0", "teachers-INITIAL_FORMS": "0"})
    body = client.post(reverse("filings:plan_create"), form).content.decode()
    assert "结束时间必须晚于开始时间" in body
    assert "面授（含线上+线下）培训须填写至少一名师资" in body


def test_the_web_form_reports_missing_fields_and_the_plans_own_checks_at_once(
        client, owner, chifeng_bureau, frozen_now):
    login(client, owner)
    form = {k: v for k, v in plan_data().items() if v is not None}
    del form["title"], form["contact_person"]
    form.update({"starts_at": "2026-04-03T09:00", "ends_at": "2026-04-01T17:00", "planned_headcount": "0",
                 "teachers-TOTAL_FORMS": "0", "teachers-INITIAL_FORMS": "0"})
    response = client.post(reverse("filings:plan_create"), form)
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "contact_person", "ends_at", "planned_headcount"}
    body = response.content.decode()
    assert "结束时间必须晚于开始时间" in body
    assert "计划人数应为 1 至" in body
    assert "面授（含线上+线下）培训须填写至少一名师资" in body


def test_the_review_inbox_lists_the_authoritys_queue_soonest_first(client, make_plan, owner, reviewer):
    later = services.plan_submit(plan=make_plan(starts_at=NOW + dt.timedelta(days=40)), actor=owner, now=NOW)
    sooner = services.plan_submit(plan=make_plan(starts_at=NOW + dt.timedelta(days=20)), actor=owner, now=NOW)
    body = login(client, reviewer).get(reverse("reviews:inbox")).content.decode()
    assert body.index(sooner.filing_no) < body.index(later.filing_no)


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name,who", [("filings:plan_list", "reviewer"), ("reviews:inbox", "reviewer"),
                                          ("filings:plan_list", "owner")])
def test_list_pages_keep_a_constant_number_of_queries(client, request, make_plan, owner, url_name, who):
    login(client, request.getfixturevalue(who))
    services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    few = _queries_for(client, reverse(url_name))
    for _ in range(5):
        services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    assert _queries_for(client, reverse(url_name)) == few

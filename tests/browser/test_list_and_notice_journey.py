"""A reviewer finds a plan by search on the plan list, approves it, and the organiser sees the notice."""

import datetime as dt

import pytest
import time_machine

from filings import services
from filings.models import PlanState
from tests.browser.conftest import login, logout
from tests.filings.conftest import TEACHERS, plan_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_a_reviewer_finds_a_plan_by_search_and_the_organiser_sees_the_decision(browser_page, owner, reviewer):
    page = browser_page
    with time_machine.travel(NOW, tick=True):
        plans = [services.plan_submit(plan=services.plan_create(actor=owner, data=plan_data(title=title),
                                                                teachers=TEACHERS, now=NOW), actor=owner, now=NOW)
                 for title in ("建筑工程质量安全专题培训", "急诊医学新进展培训班", "中小学教师信息技术能力培训")]
        wanted = plans[1]

        login(page, "reviewer")
        page.goto(f"{page.base}/plans/")
        page.fill("#id_q", "急诊")
        page.click("form.list-filter button[type=submit]")
        page.wait_for_selector("text=共 1 条")
        page.shot("reviewer-search")
        assert page.locator("tbody tr").count() == 1
        page.click(f"text={wanted.filing_no}")
        page.click("text=认领任务")
        page.wait_for_selector("text=已由")
        page.click("text=同意备案")
        page.wait_for_selector("text=已同意备案")
        page.shot("plan-approved")
        logout(page)

        login(page, "owner")
        page.goto(f"{page.base}/notifications/")
        page.wait_for_selector(f"text=培训计划已同意备案：{wanted.filing_no}")
        page.shot("organiser-notice")

    wanted.refresh_from_db()
    assert wanted.state == PlanState.APPROVED
    for other in (plans[0], plans[2]):
        other.refresh_from_db()
        assert other.state == PlanState.SUBMITTED

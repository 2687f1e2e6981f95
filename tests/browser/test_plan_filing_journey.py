import datetime as dt

import pytest
import time_machine

from filings.models import PlanState, TrainingPlan
from tests.browser.conftest import login, logout
from tests.browser.steps import file_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_an_organiser_files_a_plan_and_a_reviewer_approves_it(browser_page, owner, reviewer):
    page = browser_page
    with time_machine.travel(NOW, tick=True):
        login(page, "owner")
        page.shot("organiser-home")
        file_plan(page, "2026年卫生专业技术人员新技术培训班")
        logout(page)

        login(page, "reviewer")
        page.goto(f"{page.base}/reviews/inbox/")
        page.shot("reviewer-queue")
        page.click("text=认领")
        page.wait_for_selector("text=已认领")
        page.click("text=备-2026-1504-00001")
        page.fill("#id_reason", "材料齐全，同意备案。")
        page.click("text=同意备案")
        page.wait_for_selector("text=已同意备案")
        page.shot("plan-approved")

    plan = TrainingPlan.objects.get()
    assert plan.state == PlanState.APPROVED
    assert plan.transitions.last().actor == reviewer

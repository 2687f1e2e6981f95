import datetime as dt

import pytest
import time_machine

from filings.models import PlanState, TrainingPlan
from tests.browser.conftest import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_an_organiser_files_a_plan_and_a_reviewer_approves_it(browser_page, owner, reviewer):
    page = browser_page
    with time_machine.travel(NOW, tick=True):
        login(page, "owner")
        page.shot("organiser-home")
        page.goto(f"{page.base}/plans/new/")
        page.fill("#id_title", "2026年卫生专业技术人员新技术培训班")
        page.select_option("#id_subject", "professional")
        page.select_option("#id_mode", "face_to_face")
        page.fill("#id_starts_at", "2026-04-01T09:00")
        page.fill("#id_ends_at", "2026-04-03T17:00")
        page.fill("#id_place", "赤峰市红山区学院路1号")
        page.fill("#id_content", "新技术专题讲座")
        page.fill("#id_trainee_scope", "全市卫生系统专业技术人员")
        page.fill("#id_planned_headcount", "120")
        page.fill("#id_hours", "24")
        page.fill("#id_fee", "0")
        page.fill("#id_contact_person", "王晓燕")
        page.fill("#id_contact_phone", "0476-8466847")
        page.fill("#id_teachers-0-name", "高文博")
        page.fill("#id_teachers-0-title", "教授")
        page.fill("#id_teachers-0-employer", "内蒙古大学")
        page.shot("plan-form")
        page.click("text=保存草稿")
        page.wait_for_selector("text=已保存为草稿")
        page.click("text=提交审核")
        page.wait_for_selector("text=计划已提交审核")
        page.shot("plan-submitted")
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

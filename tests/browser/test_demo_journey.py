"""The demo, as a newcomer tries it: seed_demo, then the demo inspector creates a spot-check campaign with
league quotas, prints its commitment record, draws and sees the inspectors assigned; and each role's
home page, the plan page, 我的学时 and the statistics page at a laptop's and a phone's width.

Screenshots: test-artifacts/browser/test_the_demo_.../ (the README shows a few of them, docs/screenshots/).
"""

import re

import pytest

from filings.models import PlanState, TrainingPlan
from insights.services import statistics_refresh
from portal.demo import DEMO_PASSWORD, seed_demo
from reviews.models import SpotCheckCampaign
from reviews.spotchecks import algorithm, selectors
from tests.browser.conftest import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
QUOTAS = {"150100": "1", "150200": "1", "150400": "2", "150600": "1", "152500": "1"}


def shots(page, name: str) -> None:
    """The same page at both widths; the page is reloaded so that each width gets its own layout."""
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        page.reload()
        page.shot(f"{name}-{width}")
    page.set_viewport_size(WIDTHS["1366"])


def no_horizontal_scroll(page) -> bool:
    """Nothing but tables (which scroll inside themselves) is wider than the phone's screen."""
    page.set_viewport_size(WIDTHS["390"])
    page.reload()
    wide = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size(WIDTHS["1366"])
    return wide


def test_the_demo_inspector_runs_a_spot_check_and_every_role_has_work(browser_page):
    seed_demo()
    statistics_refresh()
    page = browser_page
    page.set_viewport_size(WIDTHS["1366"])

    # 1. The spot check, from the demo data.
    login(page, "inspector", DEMO_PASSWORD)
    assert page.locator("li:has-text('待抽取的抽查批次') strong").inner_text() == "1"
    shots(page, "home-inspector")
    page.click("nav.mainnav >> text=抽查")
    page.click("text=新建抽查批次")
    page.fill("#id_name", "2026年度培训抽查（演示抽取）")
    page.select_option("#id_division", "150000")
    page.fill("#id_year", str(TrainingPlan.objects.filter(state=PlanState.REPORTED).first().starts_at.year))
    for code, number in QUOTAS.items():
        page.fill(f"#id_quota_{code}", number)
    form_text = page.inner_text("form.card")
    assert "JSON" not in form_text and "0.300" not in form_text and "承诺值" not in form_text
    page.shot("campaign-form")
    page.click("button:has-text('创建')")
    page.wait_for_selector("text=抽查批次已创建")
    campaign = SpotCheckCampaign.objects.get(name="2026年度培训抽查（演示抽取）")
    assert campaign.is_sealed and campaign.strata_quota == {k: int(v) for k, v in QUOTAS.items()}
    page.shot("campaign-created")

    page.click("a:has-text('打印承诺记录')")
    page.wait_for_selector("h1:has-text('抽查批次承诺记录')")
    record = page.inner_text("main")
    assert campaign.seed_commitment in record and "刘宏伟" in record and "锡林郭勒盟" in record
    shots(page, "commitment-record")
    page.click("text=返回抽查批次")

    page.click("button:has-text('冻结并抽取')")
    page.wait_for_selector("text=已抽取，检查人员已随机指派")
    page.shot("campaign-drawn")
    draw = campaign.current_draw
    assert algorithm.seed_commitment(draw.seed) == campaign.seed_commitment
    assert sorted({s["stratum"] for s in draw.selection}) == sorted(QUOTAS)
    drawn_rows = page.locator("section:has-text('抽中的培训') tbody tr")
    assert drawn_rows.count() == sum(map(int, QUOTAS.values()))
    assert "锡林郭勒盟" in drawn_rows.last.inner_text() and "152500" not in drawn_rows.last.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "hashes overflow"
    first = selectors.current_selections(campaign).first()
    team = [a.inspector for a in selectors.active_assignments(first)]
    assert len(team) == 2 and not {u.organisation_id for u in team} & {first.plan.organiser_id,
                                                                         first.plan.authority_id}
    page.click(f"text={first.plan.filing_no}")
    page.wait_for_selector("h2:has-text('检查情况')")
    assignment_text = page.inner_text("main")
    assert all(u.display_name in assignment_text for u in team)
    shots(page, "selection-assigned")
    logout(page)

    # 2. Each role's home page: something to do on each.
    todo = {"organiser": "待提交培训报告", "reviewer": "待处理：培训报告审核", "professional": "已记入学时",
            "title_office": "批量审验学时", "inspector_songshan": "待录入检查情况", "admin": "系统管理"}
    for username, label in todo.items():
        login(page, username, DEMO_PASSWORD)
        if label:
            assert label in page.inner_text("main"), username
        shots(page, f"home-{username}")
        if username == "organiser":
            plan = TrainingPlan.objects.filter(organiser__name="赤峰市专业技术人员继续教育基地",
                                               state=PlanState.AWAITING_REPORT).order_by("-ends_at").first()
            page.goto(f"{page.base}/plans/")
            shots(page, "plan-list-organiser")
            page.goto(f"{page.base}/plans/{plan.pk}/")
            page.wait_for_selector(f"text={plan.filing_no}")
            shots(page, "plan-organiser")
        if username == "reviewer":
            page.click("nav.mainnav >> text=统计分析")
            page.wait_for_selector("[data-drawn='1'] svg")
            shots(page, "statistics-reviewer")
        if username == "professional":
            page.click("nav.mainnav >> text=我的学时")
            page.wait_for_selector("h1")
            assert "巴特尔" in page.inner_text("main") or "学时" in page.inner_text("main")
            shots(page, "my-hours")
            assert no_horizontal_scroll(page), "我的学时 is wider than a phone"
        logout(page)
    assert not re.search(r"\b(JSON|None)\b", record)

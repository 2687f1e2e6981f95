"""双随机、一公开 end to end: an inspector of the region bureau creates a spot-check campaign (the system
seals its seed) and draws; an assigned inspector records a fraud violation on the checklist; a second person
of the bureau confirms it (the trainees' credits are reversed); the results are approved and the
public page, read without logging in, shows the seed and population hash and no ID numbers."""

import datetime as dt
import re

import pytest
import time_machine

from accounts.models import Role
from filings.models import RosterEntry
from ledger.models import HourEntry
from reviews.models import CampaignState, Inspection, Outcome, SpotCheckCampaign
from reviews.spotchecks import algorithm
from tests.browser.conftest import login, logout
from tests.browser.steps import draw_the_plan, record_fraud
from tests.factories import UserFactory, division
from tests.ledger.support import certified_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# An 18-character ID number standing alone (not a run of digits inside a hex hash or seed).
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def test_an_inspection_finds_fraud_and_the_result_is_published(browser_page, owner, reviewer, inspector,
                                                               region_reviewer, region_bureau):
    page = browser_page
    plan = certified_plan(owner, reviewer, trainees=3)
    credits = list(HourEntry.objects.filter(plan=plan, kind=HourEntry.Kind.CREDIT))
    assert len(credits) == 3
    # The bureau's pool: `inspector` and two more; none from the organiser or from Chifeng (plan.authority).
    for name in ("inspector_b", "inspector_c"):
        UserFactory(username=name, role=Role.INSPECTOR, organisation=region_bureau)

    with time_machine.travel(plan.ends_at + dt.timedelta(days=10), tick=True):
        login(page, "inspector")
        page.goto(f"{page.base}/spot-checks/new/")
        page.fill("#id_name", "2026年度专业科目培训抽查")
        page.select_option("#id_division", str(division("150000").pk))
        page.fill("#id_year", "2026")
        page.fill("#id_sample_size", "1")
        page.shot("campaign-form")
        page.click("button:has-text('创建')")
        page.wait_for_selector("text=抽查批次已创建")
        page.shot("campaign-created")
        campaign = SpotCheckCampaign.objects.get()
        assert campaign.is_sealed
        assert page.locator(f"text={campaign.seed_commitment}").count() >= 1

        selection, recorder = draw_the_plan(page, campaign, plan, inspector)
        record_fraud(page, plan)
        headcount_row = page.locator("tr:has-text('实到人数与签到表、花名册一致') td")
        assert headcount_row.nth(1).inner_text() == "不符合"
        page.shot("inspection-recorded")
        assert not page.locator("button:has-text('确认检查结论')").count()  # not by the one who recorded
        logout(page)

        login(page, "reviewer_region")
        page.goto(f"{page.base}/spot-checks/selections/{selection.pk}/")
        page.shot("confirm-page")
        page.click("button:has-text('确认检查结论')")
        page.wait_for_selector("text=检查结论已确认")
        page.shot("inspection-confirmed")
        logout(page)

        login(page, "inspector")
        page.goto(f"{page.base}/spot-checks/{campaign.pk}/")
        page.click("button:has-text('审定结果并公开')")
        page.wait_for_selector("text=抽查结果已审定")
        page.shot("results-approved")
        logout(page)

        page.goto(f"{page.base}/spot-checks/public/{campaign.pk}/")
        page.wait_for_selector("h2:has-text('抽中培训及检查结果')")
        page.shot("public-page")
        text = page.inner_text("body")

    campaign.refresh_from_db()
    draw = campaign.current_draw
    assert campaign.state == CampaignState.PUBLISHED and campaign.results_approved_by == inspector
    inspection = Inspection.objects.get(selection=selection)
    assert inspection.outcome == Outcome.VIOLATION and inspection.violation_kind == "fraud"
    assert inspection.recorded_by == recorder and inspection.confirmed_by == region_reviewer
    assert inspection.checklist["headcount"]["result"] == "problem"

    reversals = HourEntry.objects.filter(plan=plan, kind=HourEntry.Kind.REVERSAL)
    assert sorted(r.reverses_id for r in reversals) == sorted(c.pk for c in credits)
    assert all(r.hours == -r.reverses.hours and r.authority == region_bureau for r in reversals)
    assert sum(HourEntry.objects.filter(plan=plan).values_list("hours", flat=True)) == 0

    assert "/accounts/login" not in page.url
    assert plan.filing_no in text and "违规（弄虚作假）" in text
    assert algorithm.seed_commitment(draw.seed) == campaign.seed_commitment and draw.seed in text
    assert draw.population_hash in text and draw.seed_commitment in text
    assert not ID_PATTERN.findall(text)
    for id_number in RosterEntry.objects.filter(plan=plan).values_list("id_number", flat=True):
        assert id_number not in text

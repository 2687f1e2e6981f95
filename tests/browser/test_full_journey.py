"""The whole life of one training, in the browser, one screenshot a step.

An organiser files a plan and a reviewer approves it; the clock moves past the training (time_machine
plus the beat task that advances plans by the clock — never sleeping); the organiser uploads a roster
with an error, fixes it and files the report; the reviewer certifies the hours; the professional, one
of the trainees, sees its hours and downloads its audit card; an inspector draws a sample that
includes the training and records a confirmed violation; the professional's hours and card reflect
the reversal; the public pages, read without signing in, show the result.

Only data with no UI is set up outside the browser: the users and organisations (fixtures) and the
link from the professional's account to the Person the ledger created at certification.
Screenshots: test-artifacts/browser/test_the_whole_journey_of_one_training/.
"""

import datetime as dt
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from filings.models import PlanState, TrainingPlan
from ledger.models import HourEntry, Person
from reviews.models import CampaignState, Inspection, Outcome, SpotCheckCampaign
from rules.models import AuditCard
from tests.browser.conftest import login, logout
from tests.browser.steps import draw_the_plan, file_plan, record_fraud
from tests.factories import UserFactory, division
from tests.filings.test_roster_support import make_id, person, roster_bytes
from tests.ledger.support import PDF
from workflows.tasks import advance_plans_by_clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CST = dt.timezone(dt.timedelta(hours=8))
FILING = dt.datetime(2026, 3, 1, 9, 0, tzinfo=CST)  # the plan is filed and approved
AFTER_TRAINING = dt.datetime(2026, 4, 3, 18, 0, tzinfo=CST)  # the training ran 1–3 April
CERTIFYING = dt.datetime(2026, 4, 8, 10, 0, tzinfo=CST)
INSPECTING = dt.datetime(2026, 5, 12, 10, 0, tzinfo=CST)

TITLE = "2026年卫生专业技术人员新技术培训班"
PROF_NAME = "赵志刚"
PROF_ID = make_id(1)  # the professional's ID number, as its employer writes it on the roster
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def upload_file(page, selector, name, data, mime):
    page.set_input_files(selector, files=[{"name": name, "mimeType": mime, "buffer": data}])


def download(page, link_text) -> bytes:
    with page.expect_download() as info:
        page.click(link_text)
    with open(info.value.path(), "rb") as f:
        return f.read()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_the_whole_journey_of_one_training(browser_page, owner, reviewer, inspector, region_reviewer,
                                           region_bureau, professional, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    # The spot-check pool: `inspector` and two more of the region bureau — none from the organiser
    # nor from Chifeng, the plan's authority — so two can be assigned with the recusals applied.
    for name in ("inspector_b", "inspector_c"):
        UserFactory(username=name, role=Role.INSPECTOR, organisation=region_bureau)
    professional.display_name = PROF_NAME  # the account's name, as on the roster row
    professional.save(update_fields=["display_name"])

    # 1. The organiser files the plan; the reviewer approves it.
    with time_machine.travel(FILING, tick=True):
        login(page, "owner")
        file_plan(page, TITLE)
        plan_url = page.url
        logout(page)

        login(page, "reviewer")
        page.goto(f"{page.base}/reviews/inbox/")
        page.click("text=认领")
        page.wait_for_selector("text=已认领")
        page.click("text=备-2026-1504-00001")
        page.fill("#id_reason", "材料齐全，同意备案。")
        page.click("text=同意备案")
        page.wait_for_selector("text=已同意备案")
        page.shot("plan-approved")
        logout(page)

    plan = TrainingPlan.objects.get()
    assert plan.state == PlanState.APPROVED and plan.filing_no == "备-2026-1504-00001"

    # 2. Time moves past the training. The beat task that moves plans by the clock runs once, as of
    #    the travelled-to moment: the plan goes into training and out of it, awaiting its report.
    with time_machine.travel(AFTER_TRAINING, tick=True):
        assert advance_plans_by_clock() == 2
        plan.refresh_from_db()
        assert plan.state == PlanState.AWAITING_REPORT

        # 3. The organiser uploads a roster with an error, reads the marked-up file, fixes it,
        #    uploads it again and files the report.
        login(page, "owner")
        page.goto(plan_url)
        page.shot("plan-awaiting-report")
        page.click("text=上传培训花名册")
        professional_row = person(1, name=PROF_NAME)
        bad = roster_bytes(plan, [professional_row, person(2, id_number="150404198506120099")])
        upload_file(page, "input[type=file]", "花名册.xlsx", bad, XLSX)
        page.click("button:has-text('上传')")
        page.wait_for_selector("text=错误清单")
        page.shot("roster-errors")
        marked = load_workbook(io.BytesIO(download(page, "text=下载标注了错误的花名册")))
        assert any("身份证" in str(c.value) for row in marked.active.iter_rows() for c in row if c.value)

        page.goto(f"{page.base}/roster/plans/{plan.pk}/upload/")
        upload_file(page, "input[type=file]", "花名册.xlsx", roster_bytes(plan, [professional_row, person(2)]), XLSX)
        page.click("button:has-text('上传')")
        page.wait_for_selector("text=已导入")
        page.shot("roster-imported")

        page.goto(f"{page.base}/reports/plans/{plan.pk}/")
        for kind in ("notice", "summary", "sign_in", "photos", "evaluation"):
            page.select_option("select[name=kind]", kind)
            upload_file(page, "input[name=file]", f"{kind}.pdf", PDF, "application/pdf")
            page.click("form[enctype] button:has-text('上传')")
            page.wait_for_load_state()
        page.click("button:has-text('提交培训情况报告')")
        page.wait_for_selector("text=报告待审核")
        page.shot("report-submitted")
        logout(page)

    # 4. The reviewer accepts the report and certifies the hours.
    with time_machine.travel(CERTIFYING, tick=True):
        login(page, "reviewer")
        page.goto(f"{page.base}/certification/plans/{plan.pk}/")
        page.click("button:has-text('受理报告')")
        page.wait_for_load_state()
        page.click("button:has-text('核定全部学时')")
        page.wait_for_selector("text=学时已核定")
        page.shot("hours-certified")
        logout(page)

        plan.refresh_from_db()
        assert plan.state == PlanState.CERTIFIED
        # No UI links an account to its person yet (the pages say the certifying department does it):
        # link the professional's account to the Person the ledger created from its roster row.
        own = Person.objects.get(id_number=PROF_ID)
        own.user = professional
        own.save(update_fields=["user"])

        # 5. The professional sees its hours and downloads its audit card.
        login(page, "prof")
        page.click("nav >> text=我的学时")
        page.wait_for_selector("h2:has-text('2026 年度：合计 24 学时')")
        assert PROF_ID not in page.inner_text("body")  # masked
        assert plan.filing_no in page.inner_text("main")
        page.shot("my-hours")

        page.click("nav >> text=审验与审验卡")
        page.fill("input[name=year]", "2026")
        page.click("button:has-text('生成审验卡')")
        page.wait_for_url(re.compile(r".*/rules/cards/[A-Z2-7]{16}/$"))
        card = AuditCard.objects.get(person=own)
        page.shot("card-print-view")
        page.goto(f"{page.base}/rules/my/")
        page.shot("my-eligibility-with-card")
        card_pdf = pdf_text(download(page, f"li:has-text('{card.code}') >> text=下载 PDF"))
        assert "不再有效" not in card_pdf
        logout(page)

        page.goto(f"{page.base}/verify/{card.code}/")
        page.wait_for_selector("text=核验通过")
        page.shot("card-verified-valid")

    # 6. An inspector of the region bureau draws a sample including the training; an assigned
    #    inspector records a fraud violation; a second person of the bureau confirms it.
    with time_machine.travel(INSPECTING, tick=True):
        login(page, "inspector")
        page.goto(f"{page.base}/spot-checks/new/")
        page.fill("#id_name", "2026年度专业科目培训抽查")
        page.select_option("#id_division", str(division("150000").pk))
        page.fill("#id_year", "2026")
        page.fill("#id_sample_size", "1")
        page.click("button:has-text('创建')")
        page.wait_for_selector("text=抽查批次已创建")
        campaign = SpotCheckCampaign.objects.get()
        selection, _ = draw_the_plan(page, campaign, plan, inspector)
        record_fraud(page, plan)
        logout(page)

        login(page, "reviewer_region")
        page.goto(f"{page.base}/spot-checks/selections/{selection.pk}/")
        page.click("button:has-text('确认检查结论')")
        page.wait_for_selector("text=检查结论已确认")
        page.shot("violation-confirmed")
        logout(page)

        login(page, "inspector")
        page.goto(f"{page.base}/spot-checks/{campaign.pk}/")
        page.click("button:has-text('审定结果并公开')")
        page.wait_for_selector("text=抽查结果已审定")
        logout(page)

        # 7. The professional's hours show the reversal; its card no longer holds.
        login(page, "prof")
        page.click("nav >> text=我的学时")
        page.wait_for_selector("h2:has-text('2026 年度：合计 0 学时')")
        reversal_row = page.locator("tr:has-text('冲销')")
        assert reversal_row.count() == 1 and "-24" in reversal_row.inner_text()
        assert region_bureau.name in reversal_row.inner_text()
        page.shot("my-hours-reversed")
        page.click("nav >> text=审验与审验卡")
        superseded_pdf = pdf_text(download(page, f"li:has-text('{card.code}') >> text=下载 PDF"))
        assert "不再有效" in superseded_pdf
        logout(page)

        # 8. The public pages, without signing in: the spot-check result and the card's verification.
        page.goto(f"{page.base}/spot-checks/public/")
        page.click("text=2026年度专业科目培训抽查")
        page.wait_for_selector("h2:has-text('抽中培训及检查结果')")
        page.shot("public-spot-check-result")
        public_text = page.inner_text("body")
        page.goto(f"{page.base}/verify/{card.code}/")
        page.wait_for_selector("text=审验卡所载内容不再成立")
        page.shot("card-verification-no-longer-holds")
        verify_text = page.inner_text("body")

    assert "/accounts/login" not in page.url
    assert plan.filing_no in public_text and TITLE in public_text and "违规（弄虚作假）" in public_text
    assert campaign.current_draw.seed in public_text and not ID_PATTERN.findall(public_text)
    assert PROF_ID not in verify_text and PROF_NAME not in verify_text  # masked on the public page

    campaign.refresh_from_db()
    assert campaign.state == CampaignState.PUBLISHED
    inspection = Inspection.objects.get(selection=selection)
    assert inspection.outcome == Outcome.VIOLATION and inspection.confirmed_by == region_reviewer
    entries = HourEntry.objects.filter(person=own)
    assert sorted(entries.values_list("kind", "hours")) == [("credit", 24), ("reversal", -24)]
    assert sum(HourEntry.objects.filter(plan=plan).values_list("hours", flat=True)) == 0

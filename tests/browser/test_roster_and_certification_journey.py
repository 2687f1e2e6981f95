"""An organiser uploads a roster with an error, downloads the marked-up file, fixes it, files the
report; the reviewer accepts the report, certifies the hours with one adjustment, and the organiser is told."""

import io

import pytest
import time_machine
from openpyxl import load_workbook

from filings.models import PlanState
from ledger.models import HourEntry
from tests.browser.conftest import login, logout
from tests.filings.test_roster_support import person, roster_bytes
from tests.ledger.support import PDF, plan_awaiting_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def upload_file(page, selector, name, data, mime):
    page.set_input_files(selector, files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_roster_errors_are_fixed_and_the_hours_certified(browser_page, owner, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    plan = plan_awaiting_report(owner, reviewer)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with time_machine.travel(plan.ends_at, tick=True):
        login(page, "owner")
        page.goto(f"{page.base}/plans/{plan.pk}/")
        page.click("text=上传培训花名册")
        bad = roster_bytes(plan, [person(1), person(2, id_number="150404198506120099")])
        upload_file(page, "input[type=file]", "花名册.xlsx", bad, xlsx)
        page.click("button:has-text('上传')")
        page.wait_for_selector("text=错误清单")
        page.shot("roster-errors")
        with page.expect_download() as download:
            page.click("text=下载标注了错误的花名册")
        marked = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
        assert any("身份证" in str(c.value) for row in marked.active.iter_rows() for c in row if c.value)

        page.goto(f"{page.base}/roster/plans/{plan.pk}/upload/")
        upload_file(page, "input[type=file]", "花名册.xlsx", roster_bytes(plan, [person(1), person(2)]), xlsx)
        page.click("button:has-text('上传')")
        page.wait_for_selector("text=已导入")
        page.shot("roster-imported")

        page.goto(f"{page.base}/reports/plans/{plan.pk}/")
        for kind in ("notice", "summary", "sign_in", "photos", "evaluation"):
            page.select_option("select[name=kind]", kind)
            upload_file(page, "input[name=file]", f"{kind}.pdf", PDF, "application/pdf")
            page.click("form[enctype] button:has-text('上传')")
            page.wait_for_load_state()
        page.shot("report-attachments")
        page.click("button:has-text('提交培训情况报告')")
        page.wait_for_load_state()
        page.shot("report-submitted")
        page.wait_for_selector("text=报告待审核")
        logout(page)

        login(page, "reviewer")
        page.goto(f"{page.base}/certification/plans/{plan.pk}/")
        page.click("button:has-text('受理报告')")
        page.wait_for_load_state()
        page.fill("input[name=seq_0]", "2")  # only the changed row is posted
        page.fill("input[name=hours_0]", "20")
        page.fill("input[name=reason_0]", "缺勤半天")
        page.click("button:has-text('保存调整')")
        page.wait_for_selector("text=已保存调整")
        page.click("button:has-text('核定全部学时')")
        page.wait_for_selector("text=学时已核定")
        page.shot("hours-certified")
        logout(page)

        login(page, "owner")  # the organiser is told (notifications.events, through the delivery rows)
        page.goto(f"{page.base}/notifications/")
        page.wait_for_selector(f"text=培训学时已核定：{plan.filing_no}")
        page.shot("organiser-told-certified")

    plan.refresh_from_db()
    assert plan.state == PlanState.CERTIFIED
    assert sorted(HourEntry.objects.filter(plan=plan).values_list("hours", flat=True)) == [20, 24]

"""A professional applies for an exam credit in the browser, a reviewer approves it, and the audit card changes.

The professional works for a Songshan hospital and has 2026's public hours (certified earlier, recorded
through the ledger writer); the year card says the hours fall short. The professional applies for the
qualification exam passed in June with the certificate as a PDF; a reviewer of Chifeng's bureau claims
the task in the inbox and approves it; the professional's hours list the exam with its evidence and the
new year card says the hours meet the requirement.
Screenshots: test-artifacts/browser/test_a_professional_applies_for_an_exam_credit_and_the_card_changes/.
"""

import datetime as dt
import re

import pytest
import time_machine

from accounts.models import Role
from ledger import services as ledger_services
from ledger.models import ApplicationState, CreditApplication, Person
from rules.models import AuditCard
from tests.browser.conftest import login, logout
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.applications_support import PDF
from tests.ledger.support import id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

APPLYING = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _year_card(page) -> AuditCard:
    page.goto(f"{page.base}/")
    page.click("nav >> text=审验与审验卡")
    page.fill("input[name=year]", "2026")
    page.click("input[value=year]")
    page.click("button:has-text('生成审验卡')")
    page.wait_for_url(re.compile(r".*/rules/cards/[A-Z2-7]{16}/$"))
    return AuditCard.objects.get(code=page.url.rstrip("/").rsplit("/", 1)[-1])


def test_a_professional_applies_for_an_exam_credit_and_the_card_changes(browser_page, reviewer, chifeng_bureau,
                                                                         professional, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    hospital = OrganisationFactory(name="松山区医院", kind="employer", division=division("150404"))
    number = id_number(3)
    person = ledger_services.persons_ensure(people=[ledger_services.PersonData(number, "赵志刚")],
                                            employer_organisation=hospital)[number]
    Person.objects.filter(pk=person.pk).update(user=professional)
    ledger_services.hour_entries_credit(credits=[ledger_services.Credit(
        person=person, year=2026, subject="public", source="training", hours=30, authority_id=chifeng_bureau.pk)],
        actor=reviewer)
    UserFactory(username="reviewer_b", role=Role.REVIEWER, organisation=chifeng_bureau)

    with time_machine.travel(APPLYING, tick=True):
        # 1. The year card before: professional hours missing.
        login(page, "prof")
        before = _year_card(page)
        assert "继续教育学时未达到要求" in page.inner_text("body")
        page.shot("card-before")

        # 2. The professional applies for the exam credit with the certificate.
        page.goto(f"{page.base}/")
        page.click("nav >> text=学时认定")
        page.click("text=申请学时认定")
        page.select_option("#id_source", "qualification_exam")
        page.select_option("#id_subject", "professional")
        page.fill("#id_title", "执业药师职业资格考试")
        page.fill("#id_certificate_date", "2026-06-20")
        page.set_input_files("#id_evidence", files=[{"name": "执业药师资格证.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF}])
        page.click("button:has-text('提交申请')")
        page.wait_for_selector("#application-state:has-text('待审核')")
        page.shot("application-submitted")
        logout(page)

        # 3. The reviewer claims it from the inbox and approves it.
        login(page, "reviewer")
        page.click("nav >> text=审核待办")
        page.locator("tr:has-text('执业药师职业资格考试')").locator("button:has-text('认领')").click()
        page.wait_for_selector("text=已认领")
        page.click("tr:has-text('执业药师职业资格考试') >> a")
        page.fill("#reason", "证书真实有效")
        page.click("button:has-text('同意认定')")
        page.wait_for_selector("#application-state:has-text('已认定')")
        page.shot("application-approved")
        logout(page)

        application = CreditApplication.objects.get()
        assert application.state == ApplicationState.APPROVED and application.entry.source == "qualification_exam"

        # 4. The professional's hours list the exam with its evidence; the new year card holds.
        login(page, "prof")
        page.click("nav >> text=我的学时")
        assert "执业药师职业资格考试" not in page.inner_text("#pending")
        row = page.locator("tr:has-text('专业技术人员职业资格考试')").first
        assert "执业药师资格证.pdf" in row.inner_text()
        page.shot("my-hours-with-exam")
        after = _year_card(page)
        assert "继续教育学时符合要求" in page.inner_text("body")
        page.shot("card-after")
        page.goto(f"{page.base}/")
        logout(page)

    assert before.snapshot["verdict"]["eligible"] is False
    assert after.snapshot["verdict"]["eligible"] is True and after.code != before.code

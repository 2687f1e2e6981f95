"""Credit application and circumstance pages as the applicant, the employer's HR, the reviewer of the
jurisdiction and an outsider: filing with evidence, the inbox, claim, decide, return and resubmit, bulk."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from ledger.models import ApplicationState, CircumstanceApplication, CreditApplication, HourEntry, PersonFlag
from ledger.services.applications import credit_apply
from tests.factories import UserFactory
from tests.ledger.applications_support import NOW, employer, evidence, exam, hr_user
from tests.ledger.support import id_number
from workflows.selectors import open_tasks_of_model

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def second_reviewer(chifeng_bureau):
    return UserFactory(username="reviewer2", role=Role.REVIEWER, organisation=chifeng_bureau)


def _exam_post(**extra):
    return {"source": "qualification_exam", "subject": "professional", "title": "执业药师职业资格考试",
            "certificate_date": "2026-06-20", "evidence": evidence(), **extra}


def test_the_professional_applies_for_an_exam_credit_on_the_page(client, doctor, professional, chifeng_bureau):
    client.force_login(professional)
    assert "证明材料" in client.get(reverse("ledger:credit_new")).content.decode()
    response = client.post(reverse("ledger:credit_new"), _exam_post())
    application = CreditApplication.objects.get()
    assert response.status_code == 302 and response.url == reverse("ledger:application_detail",
                                                                   args=["credit", application.pk])
    assert application.person == doctor and application.authority == chifeng_bureau
    page = client.get(response.url).content.decode()
    assert "待审核" in page and "执业药师职业资格考试" in page and "同意认定" not in page


def test_the_page_names_the_field_the_rule_set_refuses(client, doctor, professional):
    client.force_login(professional)
    response = client.post(reverse("ledger:credit_new"), _exam_post(certificate_date="2019-06-20",
                                                                    source="research_project"))
    assert response.status_code == 200 and "nmg-2017" in response.content.decode()
    assert not CreditApplication.objects.exists()


def test_a_forged_evidence_file_is_refused_on_the_page(client, doctor, professional):
    client.force_login(professional)
    response = client.post(reverse("ledger:credit_new"), _exam_post(evidence=evidence("证书.pdf", b"<html>")))
    assert "不符" in response.content.decode() and not CreditApplication.objects.exists()


def test_employer_hr_applies_for_a_staff_member_by_id_number(client, hr, doctor):
    client.force_login(hr)
    post = {**_exam_post(), "person-id_number": doctor.id_number, "person-name": doctor.name}
    assert client.post(reverse("ledger:credit_new"), post).status_code == 302
    assert CreditApplication.objects.get().filed_by == hr


def test_employer_hr_registers_a_new_staff_member_on_first_filing(client, hr, hospital):
    client.force_login(hr)
    post = {**_exam_post(), "person-id_number": id_number(40), "person-name": "新职工"}
    assert client.post(reverse("ledger:credit_new"), post).status_code == 302
    assert CreditApplication.objects.get().person.employer_organisation == hospital


def test_employer_hr_cannot_file_for_another_employers_staff(client, doctor, chifeng_bureau):
    other_hr = hr_user(employer("赤峰市医院", "150402"), "hr_other")
    client.force_login(other_hr)
    post = {**_exam_post(), "person-id_number": doctor.id_number, "person-name": doctor.name}
    response = client.post(reverse("ledger:credit_new"), post)
    assert "已关联其他单位" in response.content.decode() and not CreditApplication.objects.exists()


@pytest.mark.parametrize("who", ["owner", "inspector", "reviewer"])
def test_others_cannot_open_the_credit_form(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("ledger:credit_new")).status_code == 403


def test_the_reviewer_claims_from_the_inbox_and_approves(client, doctor, professional, reviewer):
    application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    client.force_login(reviewer)
    task = open_tasks_of_model(CreditApplication).get(process__artifact_object_id=application.pk)
    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert reverse("reviews:task_claim", args=[task.pk]) in inbox
    client.post(reverse("reviews:task_claim", args=[task.pk]))
    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert reverse("reviews:task_release", args=[task.pk]) in inbox
    detail = client.get(reverse("ledger:application_detail", args=["credit", application.pk])).content.decode()
    assert "同意认定" in detail
    client.post(reverse("ledger:application_decide", args=["credit", application.pk, "approve"]))
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED and HourEntry.objects.get().source == "qualification_exam"


def test_a_reviewer_of_another_league_sees_nothing(client, doctor, professional, reviewer_other_league):
    application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    client.force_login(reviewer_other_league)
    for name in ("ledger:application_detail", "ledger:application_evidence"):
        assert client.get(reverse(name, args=["credit", application.pk])).status_code == 404
    assert client.post(reverse("ledger:application_decide",
                               args=["credit", application.pk, "approve"])).status_code == 404
    assert "执业药师" not in client.get(reverse("reviews:inbox")).content.decode()


def test_the_applicant_cannot_decide_their_own_application(client, doctor, professional):
    application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    client.force_login(professional)
    response = client.post(reverse("ledger:application_decide", args=["credit", application.pk, "approve"]))
    application.refresh_from_db()
    assert response.status_code == 403 and application.state == ApplicationState.SUBMITTED


def test_return_then_resubmit_on_the_pages(client, doctor, professional, reviewer):
    application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    client.force_login(reviewer)
    client.post(reverse("ledger:application_decide", args=["credit", application.pk, "return"]),
                {"reason": "证书扫描件不清晰"})
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED
    client.force_login(professional)
    detail = client.get(reverse("ledger:application_detail", args=["credit", application.pk])).content.decode()
    assert "证书扫描件不清晰" in detail and "重新提交" in detail
    client.post(reverse("ledger:application_resubmit", args=["credit", application.pk]),
                {"evidence": evidence("清晰.pdf"), "note": "已重新扫描"})
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.evidence_name == "清晰.pdf"


def test_the_evidence_is_served_to_the_applicant_and_the_reviewer(client, doctor, professional, reviewer, owner):
    application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    url = reverse("ledger:application_evidence", args=["credit", application.pk])
    for user in (professional, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(owner)
    assert client.get(url).status_code == 404


def test_hr_records_a_circumstance_and_a_reviewer_approves_it(client, hr, doctor, reviewer):
    client.force_login(hr)
    post = {"person-id_number": doctor.id_number, "person-name": doctor.name, "code": "transferred_from_organ",
            "effective_from": "2025-07-01", "evidence": evidence("调令.pdf")}
    assert client.post(reverse("ledger:circumstance_new"), post).status_code == 302
    record = CircumstanceApplication.objects.get()
    assert record.year == 2025 and not PersonFlag.objects.exists()
    client.force_login(reviewer)
    client.post(reverse("ledger:application_decide", args=["circumstance", record.pk, "approve"]))
    assert PersonFlag.objects.get().code == "transferred_from_organ"


def test_the_professional_cannot_record_a_circumstance(client, professional):
    client.force_login(professional)
    assert client.get(reverse("ledger:circumstance_new")).status_code == 403


def test_bulk_upload_with_a_broken_row_lists_every_error_and_files_nothing(client, hr):
    client.force_login(hr)
    sheet = SimpleUploadedFile("学时认定.xlsx", (FIXTURES / "credits_broken.xlsx").read_bytes())
    response = client.post(reverse("ledger:credit_bulk"), {"file": sheet, "evidence": evidence()})
    page = response.content.decode()
    assert "第 4 行 C 列（身份证号码）" in page and "第 5 行 E 列（科目类别）" in page
    assert not CreditApplication.objects.exists()
    good = SimpleUploadedFile("学时认定.xlsx", (FIXTURES / "credits_good.xlsx").read_bytes())
    assert client.post(reverse("ledger:credit_bulk"), {"file": good, "evidence": evidence()}).status_code == 302
    assert CreditApplication.objects.count() == 2


def test_the_bulk_template_is_for_employer_hr_only(client, hr, reviewer):
    client.force_login(hr)
    assert client.get(reverse("ledger:credit_bulk_template")).status_code == 200
    client.force_login(reviewer)
    assert client.get(reverse("ledger:credit_bulk_template")).status_code == 403


def test_my_hours_shows_evidence_circumstances_pending_and_every_review_kind(client, doctor, professional, reviewer):
    approved = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence("资格证.pdf"))
    from ledger.services.applications import application_approve

    application_approve(application=approved, actor=reviewer)
    credit_apply(person=doctor, actor=professional, data=exam(title="职称计算机考试"), evidence=evidence())
    client.force_login(professional)
    response = client.get(reverse("ledger:my_hours"))
    page = response.content.decode()
    assert "资格证.pdf" in page and "职称计算机考试" in page and "待审核" in page
    for what in ("职称评审（高级）", "岗位聘任（10级及以上）", "考核认定（博士）"):
        assert what in page, what
    assert {x.rules_code for x in response.context["verdicts"]} == {"nmg-2026"}  # the Songshan employer, 2026


SOURCE_POSTS = {
    "staff_training": {"subject": "public", "hours": "20", "approval_reference": "松卫发〔2026〕3号"},
    "industry_training": {"hours": "24", "approval_reference": "内卫函〔2026〕5号"},
    "seminar": {"minutes": "2700"},
    "skills_training": {"hours": "40", "approval_reference": "高技能人才认定书"},
    "teacher_training": {"hours": "30"},
    "qualification_exam": {},
    "research_project": {},
    "degree_course": {},
    "title_exam": {"certificate_date": "2019-06-20"},
}
CREDITED = {"staff_training": 20, "industry_training": 24, "seminar": 60, "skills_training": 40, "teacher_training": 30}


@pytest.mark.parametrize("source", list(SOURCE_POSTS))
def test_each_source_is_applied_for_on_the_page_and_approved(client, doctor, professional, reviewer, source):
    client.force_login(professional)
    post = {**_exam_post(source=source, title=f"{source} 证书"), **SOURCE_POSTS[source]}
    assert client.post(reverse("ledger:credit_new"), post).status_code == 302
    application = CreditApplication.objects.get()
    client.force_login(reviewer)
    client.post(reverse("ledger:application_decide", args=["credit", application.pk, "approve"]))
    entry = HourEntry.objects.get()
    assert (entry.source, entry.hours, entry.subject) == (source, CREDITED.get(source, 0), post["subject"])


CIRCUMSTANCE_POSTS = {
    "non_public": {}, "grassroots": {},
    "postdoc_retained": {"conditions": "在站期间获中国博士后科学基金资助"},
    "epidemic_frontline": {"year": "2022"},
    "transferred_from_organ": {"effective_from": "2025-07-01"},
    "exceptional_promotion": {"post_start_year": "2025"},
    "left_to_start_business": {"conditions": "松人社批〔2025〕8号，考核合格"},
    "unit_plan_filed": {"year": "2026"},
}


@pytest.mark.parametrize("code", [pytest.param(code)
                                  for code in CIRCUMSTANCE_POSTS])
def test_each_circumstance_is_recorded_on_the_page_and_approved(client, hr, doctor, reviewer, code):
    client.force_login(hr)
    post = {"person-id_number": doctor.id_number, "person-name": doctor.name, "code": code,
            "effective_from": "2026-01-01", "evidence": evidence(), **CIRCUMSTANCE_POSTS[code]}
    assert client.post(reverse("ledger:circumstance_new"), post).status_code == 302
    client.force_login(reviewer)
    record = CircumstanceApplication.objects.get()
    client.post(reverse("ledger:application_decide", args=["circumstance", record.pk, "approve"]))
    assert PersonFlag.objects.get(person=doctor).code == code
    client.force_login(doctor.user)
    assert PersonFlag.Code(code).label in client.get(reverse("ledger:my_hours")).content.decode()


def test_the_inbox_takes_as_many_queries_for_five_applications_as_for_one(client, doctor, professional, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reviews:inbox")).status_code == 200
        return len(ctx)

    client.force_login(reviewer)
    credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    one = queries()
    for n in range(4):
        credit_apply(person=doctor, actor=professional, data=exam(title=f"考试{n}"), evidence=evidence())
    assert queries() == one
    assert client.get(reverse("reviews:inbox")).content.decode().count("考试") >= 4

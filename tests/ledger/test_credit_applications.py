"""Credit applications (学时认定申请) through the services: filing, routing, four-eyes, return and resubmit,
approval writing the ledger, rejection, the rule set deciding sources and conversions, evidence checks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, Role
from ledger.models import ApplicationState, CreditApplication, HourEntry
from ledger.selectors import application_authority, applications_visible_to
from ledger.services.applications import (
    application_approve,
    application_claim,
    application_reject,
    application_release,
    application_resubmit,
    application_return,
    credit_apply,
)
from tests.factories import UserFactory
from tests.ledger.applications_support import (
    NOW,
    employer,
    evidence,
    exam,
    hr_user,
    image,
    person_of_employer,
    seminar,
)
from workflows.selectors import application_queue_for, open_tasks_of_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def second_reviewer(chifeng_bureau):
    return UserFactory(username="reviewer2", role=Role.REVIEWER, organisation=chifeng_bureau)


def _apply(doctor, professional, data=None, file=None):
    return credit_apply(person=doctor, actor=professional, data=data or exam(), evidence=file or evidence())


def test_a_professional_applies_and_the_application_waits_with_the_employers_authority(
        doctor, professional, chifeng_bureau, reviewer):
    application = _apply(doctor, professional)
    assert application.state == ApplicationState.SUBMITTED
    assert application.authority == chifeng_bureau == application_authority(doctor)
    assert application.rules_code == "nmg-2026" and application.year == 2026 and application.credited_hours == 0
    assert application.evidence.read().startswith(b"%PDF-") and application.evidence_name == "证书.pdf"
    assert [(t.from_state, t.to_state, t.actor) for t in application.transitions.all()] == [
        ("", "submitted", professional)]
    assert list(application_queue_for(reviewer, CreditApplication)) == [application]
    assert open_tasks_of_model(CreditApplication).filter(process__artifact_object_id=application.pk).count() == 1


def test_the_authority_follows_the_employer_not_the_person(professional, ordos_bureau, chifeng_bureau):
    ordos_hospital = employer("鄂尔多斯市中心医院", "150602")
    person = person_of_employer(ordos_hospital, user=professional)
    assert application_authority(person) == ordos_bureau
    assert _apply(person, professional).authority == ordos_bureau


def test_a_person_without_an_employer_cannot_be_routed(professional):
    person = person_of_employer(employer(), user=professional)
    type(person).objects.filter(pk=person.pk).update(employer_organisation=None)
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="尚未关联所在单位"):
        _apply(person, professional)
    assert not CreditApplication.objects.exists()


def test_employer_hr_applies_for_its_staff_but_not_for_another_employers(doctor, hr, professional):
    assert credit_apply(person=doctor, actor=hr, data=exam(), evidence=evidence()).filed_by == hr
    other_hr = hr_user(employer("赤峰市医院", "150402"), "hr_other")
    with pytest.raises(PermissionDenied):
        credit_apply(person=doctor, actor=other_hr, data=exam(), evidence=evidence())


@pytest.mark.parametrize("who", ["owner", "reviewer", "outsider", "inspector"])
def test_nobody_else_applies_for_a_professional(doctor, who, request):
    with pytest.raises(PermissionDenied):
        credit_apply(person=doctor, actor=request.getfixturevalue(who), data=exam(), evidence=evidence())
    assert not CreditApplication.objects.exists()


def test_approval_writes_one_credit_through_the_ledger_and_is_audited(doctor, professional, reviewer):
    application = _apply(doctor, professional)
    application_approve(application=application, actor=reviewer, reason="证书真实")
    application.refresh_from_db()
    entry = application.entry
    assert application.state == ApplicationState.APPROVED and application.decided_by == reviewer
    assert (entry.person, entry.year, entry.subject, entry.source, entry.hours, entry.authority_id) == (
        doctor, 2026, "professional", "qualification_exam", 0, application.authority_id)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CERTIFICATION, target=f"学时认定申请 {application.pk}").exists()
    assert not open_tasks_of_model(CreditApplication).exists()
    assert list(application_queue_for(reviewer, CreditApplication)) == []


def test_a_seminars_minutes_convert_at_45_to_the_hour_rounded_down(doctor, professional, reviewer):
    application = _apply(doctor, professional, seminar(minutes=2699))
    assert application.credited_hours == 59
    application_approve(application=application, actor=reviewer)
    assert HourEntry.objects.get(person=doctor).hours == 59


def test_hours_given_as_hours_count_as_given(doctor, professional):
    assert _apply(doctor, professional, seminar(minutes=None, hours=12)).credited_hours == 12


def test_it_wants_hours_or_minutes_for_a_certificate_source_but_not_both(doctor, professional):
    with pytest.raises(ValidationError, match="其中一项"):
        _apply(doctor, professional, seminar(minutes=None, hours=None))
    with pytest.raises(ValidationError, match="其中一项"):
        _apply(doctor, professional, seminar(minutes=90, hours=2))


def test_the_rule_set_of_the_certificate_year_decides_which_sources_exist(doctor, professional):
    with pytest.raises(ValidationError, match="nmg-2017.*主管部门科研课题结项"):
        _apply(doctor, professional, exam(day=dt.date(2019, 6, 1), source="research_project"))
    assert _apply(doctor, professional, exam(day=dt.date(2023, 6, 1), source="research_project")).rules_code == "nmg-2022"


def test_the_title_exam_exists_in_2017_only(doctor, professional):
    assert _apply(doctor, professional, exam(day=dt.date(2019, 6, 1), source="title_exam")).rules_code == "nmg-2017"
    with pytest.raises(ValidationError, match="职称外语"):
        _apply(doctor, professional, exam(day=dt.date(2024, 6, 1), source="title_exam"))


def test_a_professional_only_source_refuses_the_public_subject(doctor, professional):
    with pytest.raises(ValidationError, match="只能计入专业科目"):
        _apply(doctor, professional, exam(subject="public"))


def test_self_organised_staff_training_needs_the_prior_approval_reference(doctor, professional):
    data = exam(source="staff_training", subject="public", hours=20)
    with pytest.raises(ValidationError, match="事先审核同意"):
        _apply(doctor, professional, data)
    ok = exam(source="staff_training", subject="public", hours=20, approval_reference="松卫发〔2026〕3号")
    assert _apply(doctor, professional, ok).credited_hours == 20


def test_a_certificate_dated_in_the_future_is_refused(doctor, professional):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        _apply(doctor, professional, exam(day=dt.date(2026, 9, 2)))


@pytest.mark.parametrize("name, content, message", [
    ("证书.exe", b"MZ", "格式不支持"),
    ("证书.pdf", b"not a pdf", "不符"),
    ("证书.docx", b"PK\x03\x04", "不符|格式不支持"),
])
def test_evidence_goes_through_the_upload_guard(doctor, professional, name, content, message):
    with pytest.raises(ValidationError, match=message):
        _apply(doctor, professional, file=evidence(name, content))
    assert not CreditApplication.objects.exists()


def test_an_image_scan_is_accepted_as_evidence(doctor, professional):
    assert _apply(doctor, professional, file=image()).evidence_name == "证书.png"


def test_four_eyes_the_filer_never_decides(doctor, hr, reviewer, chifeng_bureau):
    # An HR user of the bureau itself files for a bureau employee; nobody of the bureau may decide.
    bureau_hr = hr_user(chifeng_bureau, "bureau_hr")
    staff = person_of_employer(chifeng_bureau, seq=5, name="局内职工")
    application = credit_apply(person=staff, actor=bureau_hr, data=exam(), evidence=evidence())
    with pytest.raises(PermissionDenied):
        application_approve(application=application, actor=reviewer)
    assert list(application_queue_for(reviewer, CreditApplication)) == []


def test_a_reviewer_who_filed_a_circumstance_cannot_approve_it(doctor, reviewer, second_reviewer):
    from ledger.services.applications import circumstance_record
    from tests.ledger.applications_support import circumstance

    record = circumstance_record(person=doctor, actor=reviewer, data=circumstance(), evidence=evidence())
    with pytest.raises(PermissionDenied, match="申报人不能审核"):
        application_approve(application=record, actor=reviewer)
    application_approve(application=record, actor=second_reviewer)
    record.refresh_from_db()
    assert record.state == ApplicationState.APPROVED and record.flag.code == "grassroots"


@pytest.mark.parametrize("who", ["reviewer_other_league", "region_reviewer", "owner", "inspector", "professional"])
def test_only_a_reviewer_of_the_routed_authority_decides(doctor, professional, who, request):
    application = _apply(doctor, professional)
    with pytest.raises(PermissionDenied):
        application_approve(application=application, actor=request.getfixturevalue(who))
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and not HourEntry.objects.exists()


def test_return_with_a_reason_then_resubmit_with_new_evidence_then_approve(doctor, professional, reviewer):
    application = _apply(doctor, professional)
    with pytest.raises(ValidationError, match="退回理由"):
        application_return(application=application, actor=reviewer, reason=" ")
    application_return(application=application, actor=reviewer, reason="证书扫描件不清晰")
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED and application.decision_reason == "证书扫描件不清晰"
    assert list(application_queue_for(reviewer, CreditApplication)) == []
    with pytest.raises(ValidationError, match="退回修改"):
        application_approve(application=application, actor=reviewer)
    application_resubmit(application=application, actor=professional, evidence=image("清晰扫描件.png"), note="已重新扫描")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.evidence_name == "清晰扫描件.png"
    assert list(application_queue_for(reviewer, CreditApplication)) == [application]
    application_approve(application=application, actor=reviewer)
    states = [(t.from_state, t.to_state) for t in application.transitions.all()]
    assert states == [("", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
                      ("submitted", "approved")]
    assert HourEntry.objects.filter(person=doctor).count() == 1


def test_only_the_filer_resubmits(doctor, professional, reviewer, hr):
    application = _apply(doctor, professional)
    application_return(application=application, actor=reviewer, reason="请补充材料")
    for other in (reviewer, hr):
        with pytest.raises(PermissionDenied):
            application_resubmit(application=application, actor=other)


def test_rejection_needs_a_reason_and_writes_nothing(doctor, professional, reviewer):
    application = _apply(doctor, professional)
    with pytest.raises(ValidationError, match="理由"):
        application_reject(application=application, actor=reviewer, reason="")
    application_reject(application=application, actor=reviewer, reason="非自治区内考试")
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED and not HourEntry.objects.exists()
    with pytest.raises(ValidationError, match="不予认定"):
        application_approve(application=application, actor=reviewer)


def test_a_decided_application_cannot_be_decided_twice(doctor, professional, reviewer, second_reviewer):
    application = _apply(doctor, professional)
    application_approve(application=application, actor=reviewer)
    with pytest.raises(ValidationError, match="已认定"):
        application_approve(application=application, actor=second_reviewer)
    assert HourEntry.objects.count() == 1


def test_claim_and_release_move_the_task_between_queue_and_inbox(doctor, professional, reviewer, second_reviewer):
    application = _apply(doctor, professional)
    application_claim(application=application, actor=reviewer)
    assert application_queue_for(reviewer, CreditApplication).get().claimed_by_id == reviewer.pk
    with pytest.raises(ValidationError, match="已由"):
        application_claim(application=application, actor=second_reviewer)
    with pytest.raises(PermissionDenied):
        application_release(application=application, actor=second_reviewer)
    application_release(application=application, actor=reviewer)
    assert application_queue_for(reviewer, CreditApplication).get().claimed_by_id is None


def test_who_sees_an_application(doctor, professional, hr, reviewer, reviewer_other_league, owner):
    application = _apply(doctor, professional)
    for user in (professional, hr, reviewer):
        assert list(applications_visible_to(user, CreditApplication)) == [application]
    for user in (reviewer_other_league, owner):
        assert list(applications_visible_to(user, CreditApplication)) == []

"""Personal circumstances (学时减免情形): recorded by employer HR or the authority with evidence and dates,
approved four-eyes, and only then counted by the eligibility verdict."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from ledger.models import ApplicationState, CircumstanceApplication, PersonFlag
from ledger.services.applications import (
    application_approve,
    application_resubmit,
    application_return,
    circumstance_record,
)
from rules.cards.explain import explain
from rules.engine import Review
from tests.factories import UserFactory
from tests.ledger.applications_support import (
    NOW,
    circumstance,
    evidence,
)
from workflows.selectors import application_queue_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def second_reviewer(chifeng_bureau):
    return UserFactory(username="reviewer2", role=Role.REVIEWER, organisation=chifeng_bureau)


EVERY_CODE = [
    circumstance("non_public"),
    circumstance("grassroots"),
    circumstance("postdoc_retained", conditions="在站期间获中国博士后科学基金资助"),
    circumstance("epidemic_frontline", year=2022, effective_from=dt.date(2022, 1, 1)),
    circumstance("transferred_from_organ", effective_from=dt.date(2025, 7, 1)),
    circumstance("exceptional_promotion", post_start_year=2025),
    circumstance("left_to_start_business", conditions="松人社批〔2025〕8号，考核合格"),
    circumstance("unit_plan_filed", year=2026),
]


@pytest.mark.parametrize("data", [pytest.param(d, id=d.code) for d in EVERY_CODE])
def test_each_circumstance_is_recorded_by_hr_and_counts_once_approved(doctor, hr, reviewer, data):
    record = circumstance_record(person=doctor, actor=hr, data=data, evidence=evidence())
    assert record.state == ApplicationState.SUBMITTED and not PersonFlag.objects.exists()
    application_approve(application=record, actor=reviewer)
    flag = PersonFlag.objects.get(person=doctor)
    assert flag.code == data.code and flag.recorded_by == reviewer
    assert flag.effective_from == data.effective_from
    if data.code in ("epidemic_frontline", "transferred_from_organ", "unit_plan_filed"):
        assert flag.year == (data.year or data.effective_from.year)
    assert flag.post_start_year == data.post_start_year


def test_a_transfer_takes_its_year_from_the_transfer_date(doctor, hr):
    record = circumstance_record(person=doctor, actor=hr, data=circumstance(
        "transferred_from_organ", effective_from=dt.date(2024, 3, 1)), evidence=evidence())
    assert record.year == 2024


@pytest.mark.parametrize("data, field", [
    (circumstance("exceptional_promotion"), "任现职年度"),
    (circumstance("postdoc_retained"), "博士后科学基金"),
    (circumstance("left_to_start_business"), "考核结果"),
    (circumstance("grassroots", effective_to=dt.date(2025, 12, 31)), "截止日期"),
    (circumstance("age_full"), "未知的减免情形"),
])
def test_it_asks_for_what_the_notice_requires(doctor, hr, data, field):
    with pytest.raises(ValidationError, match=field):
        circumstance_record(person=doctor, actor=hr, data=data, evidence=evidence())


def test_the_flag_counts_only_after_approval(doctor, hr, reviewer):
    review = Review(kind="title_review", level="senior", date=dt.date(2026, 9, 1), region="150404")
    assert explain(person=doctor, review=review).verdict.eligible is False
    record = circumstance_record(person=doctor, actor=hr, data=circumstance("grassroots"), evidence=evidence())
    assert explain(person=doctor, review=review).verdict.eligible is False
    application_approve(application=record, actor=reviewer)
    verdict = explain(person=doctor, review=review).verdict
    assert verdict.eligible is True and "grassroots" in verdict.applied


def test_the_authority_records_and_another_reviewer_approves(doctor, reviewer, second_reviewer):
    record = circumstance_record(person=doctor, actor=reviewer, data=circumstance(), evidence=evidence())
    with pytest.raises(PermissionDenied):
        application_approve(application=record, actor=reviewer)
    assert list(application_queue_for(second_reviewer, CircumstanceApplication)) == [record]
    application_approve(application=record, actor=second_reviewer)
    assert PersonFlag.objects.filter(person=doctor).count() == 1


@pytest.mark.parametrize("who", ["professional", "owner", "reviewer_other_league", "inspector"])
def test_others_cannot_record_a_circumstance(doctor, who, request):
    with pytest.raises(PermissionDenied):
        circumstance_record(person=doctor, actor=request.getfixturevalue(who), data=circumstance(),
                            evidence=evidence())


def test_return_and_resubmit_a_circumstance(doctor, hr, reviewer):
    record = circumstance_record(person=doctor, actor=hr, data=circumstance(), evidence=evidence())
    application_return(application=record, actor=reviewer, reason="请提供乡镇任职文件")
    application_resubmit(application=record, actor=hr, evidence=evidence("任职文件.pdf"))
    application_approve(application=record, actor=reviewer)
    record.refresh_from_db()
    assert [t.to_state for t in record.transitions.all()] == ["submitted", "returned", "submitted", "approved"]
    assert record.flag.person == doctor

"""Decisions on late-filing requests, credit applications, circumstance records and amendments reach
the applicant or organiser through the event pipeline: exactly one delivery per enabled channel,
once per decision, and nothing for a decision refused or rolled back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from filings import services as filings
from ledger.models import HourEntry
from ledger.services import amendment_approve, amendment_reject, amendment_request
from ledger.services.applications import (
    application_approve,
    application_return,
    circumstance_record,
    credit_apply,
)
from notifications.models import ChannelPreference, Delivery, Notification
from reviews import late_exceptions
from tests.factories import UserFactory
from tests.filings.conftest import TEACHERS, plan_data
from tests.ledger.applications_support import (
    circumstance,
    employer,
    evidence,
    exam,
    hr_user,
    person_of_employer,
)
from tests.ledger.support import certified_plan
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def delivered(user, kind):
    return sorted(Delivery.objects.filter(reminder__recipient=user, reminder__kind=kind, done_at__isnull=False)
                  .values_list("channel", flat=True))


def titles(user, kind):
    return list(Notification.objects.filter(user=user, reminder__kind=kind).values_list("title", flat=True))


@pytest.mark.parametrize("grant,headline", [(True, "已批准"), (False, "不予批准")])
def test_a_late_filing_decision_reaches_the_organiser_once_per_enabled_channel(
        owner, reviewer, grant, headline, django_capture_on_commit_callbacks):
    plan = filings.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=5)),
                               teachers=TEACHERS, now=NOW)
    request = late_exceptions.late_exception_request(plan=plan, actor=owner, reason="上级临时部署", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=grant, reason="情况属实")
    assert delivered(owner, "late_exception_decision") == ["email", "inapp"]  # SMS is off by default
    assert delivered(reviewer, "late_exception_decision") == []
    (title,) = titles(owner, "late_exception_decision")
    assert headline in title and plan.filing_no in title


def test_a_refused_decision_announces_nothing(owner, reviewer, chifeng_bureau, django_capture_on_commit_callbacks):
    colleague = UserFactory(username="colleague", role="reviewer", organisation=chifeng_bureau)
    plan = filings.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=5)),
                               teachers=TEACHERS, now=NOW)
    request = late_exceptions.late_exception_request(plan=plan, actor=owner, reason="上级临时部署", now=NOW)
    late_exceptions.late_exception_claim(request=request, actor=colleague)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=True, reason="同意")
    assert not Delivery.objects.filter(reminder__kind="late_exception_decision").exists()


def test_application_decisions_reach_the_applicant_and_the_employers_hr(
        professional, reviewer, chifeng_bureau, django_capture_on_commit_callbacks):
    hospital = employer()
    doctor = person_of_employer(hospital, user=professional, seq=9)
    hr = hr_user(hospital)
    for user, address in ((professional, "doctor@example.cn"), (hr, "hr@example.cn")):
        user.email = address
        user.save(update_fields=["email"])
    credit = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    record = circumstance_record(person=doctor, actor=hr, data=circumstance(), evidence=evidence())
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=credit, actor=reviewer)
        application_return(application=record, actor=reviewer, reason="请补充证明")
    assert delivered(professional, "application_decision") == ["email", "email", "inapp", "inapp"]
    assert delivered(hr, "application_decision") == ["email", "inapp"]  # the record HR filed, not the credit
    assert any("已认定" in t for t in titles(professional, "application_decision"))
    assert any("退回修改" in t for t in titles(hr, "application_decision"))


def test_an_amendment_decision_reaches_the_requester_once_even_if_announced_again(
        owner, reviewer, django_capture_on_commit_callbacks):
    from ledger.announcements import amendment_announce

    plan = certified_plan(owner, reviewer)
    entries = list(HourEntry.objects.filter(plan=plan).order_by("pk")[:2])
    first = amendment_request(entry=entries[0], actor=owner, new_hours=entries[0].hours - 1, reason="核对有误")
    second = amendment_request(entry=entries[1], actor=owner, new_hours=entries[1].hours - 1, reason="核对有误")
    ChannelPreference.objects.create(user=owner, kind="amendment_decision", channel="email", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        amendment_approve(request=first, actor=reviewer)
        amendment_reject(request=second, actor=reviewer, reason="签到表无误")
        first.refresh_from_db()
        assert amendment_announce(request=first) == 0  # the same decision again: nobody newly told
    assert delivered(owner, "amendment_decision") == ["inapp", "inapp"]
    assert sorted(t.split("：")[0] for t in titles(owner, "amendment_decision")) == ["学时更正申请已批准",
                                                                                    "学时更正申请未批准"]

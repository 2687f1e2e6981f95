import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Role
from filings import reports, services
from filings.models import PlanState, PlanTransition
from ledger.models import HourEntry, Person
from reviews import certification
from tests.factories import UserFactory
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.support import accepted_plan, id_number, reported_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(owner, reviewer):
    return accepted_plan(owner, reviewer)


# --- report review ------------------------------------------------------------------------

def test_the_reviewer_accepts_a_report(owner, reviewer):
    plan = reported_plan(owner, reviewer)
    plan = certification.report_accept(plan=plan, actor=reviewer)
    assert plan.state == PlanState.REPORT_ACCEPTED
    assert PlanTransition.objects.filter(plan=plan, to_state=PlanState.REPORT_ACCEPTED, actor=reviewer).exists()


def test_returning_a_report_needs_a_reason_and_lets_the_owner_resubmit_without_lateness(owner, reviewer):
    plan = reported_plan(owner, reviewer)
    with pytest.raises(ValidationError, match="退回意见"):
        certification.report_return(plan=plan, actor=reviewer, reason=" ")
    plan = certification.report_return(plan=plan, actor=reviewer, reason="签到表不清晰")
    assert plan.state == PlanState.REPORT_RETURNED
    weeks_later = plan.ends_at + dt.timedelta(days=40)
    report = reports.report_submit(plan=plan, actor=owner, now=weeks_later)
    assert report.late_days == 0 and report.submitted_at == weeks_later


@pytest.mark.parametrize("who", ["owner", "outsider", "reviewer_other_league", "inspector"])
def test_only_the_authority_reviews_the_report(owner, reviewer, request, who):
    plan = reported_plan(owner, reviewer)
    with pytest.raises(PermissionDenied):
        certification.report_accept(plan=plan, actor=request.getfixturevalue(who))


# --- certification ------------------------------------------------------------------------

def test_it_writes_exactly_one_credit_per_trainee_and_the_log_row(plan, reviewer):
    entries = certification.certify_hours(plan=plan, actor=reviewer)
    plan.refresh_from_db()
    assert plan.state == PlanState.CERTIFIED
    assert len(entries) == 3 and HourEntry.objects.count() == 3
    for row in plan.roster.all():
        entry = HourEntry.objects.get(roster_entry=row)
        assert (entry.person.id_number, entry.hours, entry.year, entry.subject) == (
            row.id_number, row.hours, plan.credit_year, row.subject)
        assert (entry.kind, entry.source, entry.authority_id, entry.plan_id, entry.created_by) == (
            "credit", "training", plan.authority_id, plan.pk, reviewer)
        assert row.certified_hours == row.hours and row.adjustment_reason == ""
    log = plan.transitions.last()
    assert (log.from_state, log.to_state, log.actor) == (PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED, reviewer)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CERTIFICATION, target=plan.filing_no).count() == 1


def test_it_takes_birth_date_and_sex_from_the_id_number(plan, reviewer):
    certification.certify_hours(plan=plan, actor=reviewer)
    person = Person.objects.get(id_number=id_number(2, male=False))
    assert person.birth_date == dt.date(1980, 1, 1) and person.sex == "F"
    assert Person.objects.get(id_number=id_number(1)).sex == "M"


def test_it_reuses_a_person_already_in_the_ledger(plan, reviewer):
    known = Person.objects.create(id_number=id_number(1), name="学员1", sex="M", birth_date=dt.date(1980, 1, 1))
    certification.certify_hours(plan=plan, actor=reviewer)
    assert Person.objects.count() == 3
    assert known.hour_entries.count() == 1


def test_an_adjustment_needs_a_reason_and_nothing_is_written_without_one(plan, reviewer):
    row = plan.roster.get(seq=2)
    with pytest.raises(ValidationError, match="第 2 号.*调整理由"):
        certification.certify_hours(plan=plan, actor=reviewer, adjustments={row.pk: (8, "")})
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORT_ACCEPTED
    assert not HourEntry.objects.exists() and not Person.objects.exists()


def test_an_adjustment_with_a_reason_is_credited_and_recorded(plan, reviewer):
    row = plan.roster.get(seq=2)
    certification.certify_hours(plan=plan, actor=reviewer, adjustments={row.pk: (8, "缺勤两天")})
    row.refresh_from_db()
    assert (row.certified_hours, row.adjustment_reason) == (8, "缺勤两天")
    entry = HourEntry.objects.get(roster_entry=row)
    assert (entry.hours, entry.reason) == (8, "缺勤两天")
    assert HourEntry.objects.exclude(roster_entry=row).filter(hours=plan.hours).count() == 2


def test_an_adjustment_to_another_plans_trainee_is_refused(plan, reviewer):
    with pytest.raises(ValidationError, match="不在本计划"):
        certification.certify_hours(plan=plan, actor=reviewer, adjustments={999999: (1, "x")})


def test_a_plan_is_certified_once(plan, reviewer):
    certification.certify_hours(plan=plan, actor=reviewer)
    with pytest.raises(ValidationError, match="不能核定"):
        certification.certify_hours(plan=plan, actor=reviewer)
    assert HourEntry.objects.count() == 3


@pytest.mark.parametrize("who", ["owner", "outsider", "reviewer_other_league", "region_reviewer"])
def test_only_the_plans_authority_certifies(plan, request, who):
    with pytest.raises(PermissionDenied):
        certification.certify_hours(plan=plan, actor=request.getfixturevalue(who))
    assert not HourEntry.objects.exists()


def test_nobody_certifies_their_own_organisations_filing(chifeng_bureau, reviewer):
    # The bureau files a training of its own: it is its own supervising authority.
    clerk = UserFactory(username="bureau_clerk", role=Role.ORGANISER, organisation=chifeng_bureau)
    plan = services.plan_create(actor=clerk, data=plan_data(), teachers=TEACHERS, now=NOW)
    assert plan.authority == chifeng_bureau
    for action in (lambda: certification.report_accept(plan=plan, actor=reviewer),
                   lambda: certification.certify_hours(plan=plan, actor=reviewer)):
        with pytest.raises(PermissionDenied, match="本单位"):
            action()


# --- pages --------------------------------------------------------------------------------

@pytest.mark.parametrize("who,status", [("owner", 200), ("reviewer", 200), ("outsider", 404),
                                        ("reviewer_other_league", 404)])
def test_who_sees_the_certification_page(client, request, plan, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("certification:plan_certification", args=[plan.pk]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert id_number(1) not in body and "150404********" in body


def test_the_reviewer_certifies_the_whole_plan_with_an_adjustment_on_the_page(
        client, plan, reviewer, django_capture_on_commit_callbacks):
    row = plan.roster.get(seq=1)
    client.force_login(reviewer)
    client.post(reverse("certification:adjustments_save", args=[plan.pk]),
                {"seq_0": "1", "hours_0": "20", "reason_0": "迟到早退"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certification:certify", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == PlanState.CERTIFIED
    assert HourEntry.objects.get(roster_entry=row).hours == 20


def test_the_owner_cannot_certify_through_the_page(client, plan, owner):
    client.force_login(owner)
    assert client.post(reverse("certification:certify", args=[plan.pk])).status_code == 403
    assert not HourEntry.objects.exists()


def test_an_outsider_cannot_accept_a_report_through_the_page(client, owner, reviewer, reviewer_other_league):
    plan = reported_plan(owner, reviewer)
    client.force_login(reviewer_other_league)
    assert client.post(reverse("certification:report_accept", args=[plan.pk])).status_code == 404
    client.force_login(reviewer)
    client.post(reverse("certification:report_accept", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORT_ACCEPTED


def test_after_certification_the_page_offers_amendment_requests(client, plan, owner, reviewer):
    certification.certify_hours(plan=plan, actor=reviewer)
    client.force_login(owner)
    body = client.get(reverse("certification:plan_certification", args=[plan.pk])).content.decode()
    assert body.count("申请更正") == 3
    assert "核定全部学时" not in body


def test_a_certified_rows_amendment_request_is_folded_and_labelled(client, plan, owner, reviewer):
    certification.certify_hours(plan=plan, actor=reviewer)
    client.force_login(owner)
    body = client.get(reverse("certification:plan_certification", args=[plan.pk])).content.decode()
    assert body.count('<details class="amend"><summary>申请更正</summary>') == 3
    assert body.count("<label>更正后学时 <input") == 3


# --- finding 4: adjustments only lower the hours --------------------------------------------

@pytest.mark.parametrize("hours", [2_147_483_647, 10**30, None])
def test_an_adjustment_above_the_roster_hours_is_refused_and_nothing_is_certified(plan, reviewer, hours):
    row = plan.roster.get(seq=2)
    hours = row.hours + 1 if hours is None else hours
    with pytest.raises(ValidationError, match="第 2 号.*调整只能减少学时"):
        certification.certify_hours(plan=plan, actor=reviewer, adjustments={row.pk: (hours, "多记")})
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORT_ACCEPTED and not HourEntry.objects.exists()


def test_an_adjustment_may_lower_the_hours_to_zero_with_a_reason(plan, reviewer):
    row = plan.roster.get(seq=2)
    certification.certify_hours(plan=plan, actor=reviewer, adjustments={row.pk: (0, "全程缺勤")})
    assert HourEntry.objects.get(roster_entry=row).hours == 0


@pytest.mark.parametrize("raw", ["2147483647", "9" * 31, "-1", "1e3", "", " 12x", "above"])
def test_a_huge_or_malformed_number_on_the_page_is_refused_without_a_server_error(client, plan, reviewer, raw):
    from reviews.models import CertificationAdjustment

    row = plan.roster.get(seq=1)
    raw = str(row.hours + 1) if raw == "above" else raw
    client.force_login(reviewer)
    response = client.post(reverse("certification:adjustments_save", args=[plan.pk]),
                           {"seq_0": str(row.seq), "hours_0": raw, "reason_0": "理由"}, follow=True)
    assert response.status_code == 200
    assert not CertificationAdjustment.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORT_ACCEPTED and not HourEntry.objects.exists()

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from filings import reports, services
from filings.models import AttachmentKind, PlanState, TrainingReport
from rules.models import RuleSet
from tests.factories import OrganisationFactory, UserFactory, division
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.support import add_roster, pdf, plan_awaiting_report, upload_required

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(owner, reviewer):
    return plan_awaiting_report(owner, reviewer)


def ready(plan, owner):
    add_roster(plan)
    upload_required(plan, owner)
    return plan


def test_it_sets_the_due_date_14_days_after_the_training_ends(plan):
    end = plan.ends_at.astimezone(SHANGHAI).date()
    assert reports.report_due_date(plan) == end + dt.timedelta(days=14)


def test_it_accepts_a_report_on_time_and_logs_the_transition(plan, owner):
    ready(plan, owner)
    report = reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=3))
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED
    assert report.late_days == 0 and report.submitted_by == owner
    assert plan.transitions.last().to_state == PlanState.REPORTED


def test_it_accepts_a_late_report_and_records_the_days_late(plan, owner):
    ready(plan, owner)
    due = reports.report_due_date(plan)
    late = dt.datetime.combine(due + dt.timedelta(days=3), dt.time(9), tzinfo=SHANGHAI)
    report = reports.report_submit(plan=plan, actor=owner, now=late)
    assert report.late_days == 3
    assert "逾期 3 天" in plan.transitions.last().reason


def test_the_last_minute_of_the_due_day_is_on_time(plan, owner):
    ready(plan, owner)
    due = reports.report_due_date(plan)
    report = reports.report_submit(
        plan=plan, actor=owner, now=dt.datetime.combine(due, dt.time(23, 59), tzinfo=SHANGHAI)
    )
    assert report.late_days == 0


@pytest.fixture
def songshan(db):
    bureau = OrganisationFactory(name="松山区人社局", kind="hrss", division=division("150404"))
    return UserFactory(username="reviewer_songshan", role="reviewer", organisation=bureau)


def _songshan_plan(owner, songshan):
    moment = dt.datetime(2025, 4, 1, 9, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        return plan_awaiting_report(owner, songshan, now=moment, credit_year=2025)


def test_songshan_refuses_a_late_report_in_2025(owner, songshan):
    plan = _songshan_plan(owner, songshan)
    assert plan.authority == songshan.organisation
    ready(plan, owner)
    late = dt.datetime.combine(reports.report_due_date(plan) + dt.timedelta(days=1), dt.time(9), tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError) as error:
        reports.report_submit(plan=plan, actor=owner)
    assert "逾期不予受理" in str(error.value)
    assert f"{reports.report_due_date(plan):%Y年%m月%d日}" in str(error.value)
    plan.refresh_from_db()
    assert plan.state == PlanState.AWAITING_REPORT
    assert not TrainingReport.objects.filter(plan=plan).exists()


def test_songshan_takes_a_report_on_time_in_2025(owner, songshan):
    plan = _songshan_plan(owner, songshan)
    ready(plan, owner)
    report = reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=1))
    assert report.late_days == 0


def test_it_refuses_a_report_without_a_roster(plan, owner):
    upload_required(plan, owner)
    with pytest.raises(ValidationError, match="花名册"):
        reports.report_submit(plan=plan, actor=owner, now=plan.ends_at)


def test_a_face_to_face_report_needs_sign_in_photos_and_evaluation(plan, owner):
    add_roster(plan)
    for kind in (AttachmentKind.NOTICE, AttachmentKind.SUMMARY):
        reports.report_attachment_add(plan=plan, actor=owner, kind=kind, uploaded_file=pdf())
    with pytest.raises(ValidationError) as error:
        reports.report_submit(plan=plan, actor=owner, now=plan.ends_at)
    message = str(error.value)
    assert "学员签到表" in message and "面授图片或网络培训截图" in message and "培训效果评估表" in message
    assert "培训通知" not in message


def test_an_online_report_needs_no_sign_in_sheet(owner, reviewer):
    plan = plan_awaiting_report(owner, reviewer, mode="online", place="内蒙古专业技术人员继续教育平台")
    assert reports.required_attachments(plan) == ["notice", "summary", "evaluation"]


def test_the_rule_set_can_name_the_required_attachments(plan, owner):
    rule_set = RuleSet.objects.get(code="nmg-2026")
    rule_set.params = {**rule_set.params, "report_attachments": {"face_to_face": ["notice"]}}
    rule_set.save()
    add_roster(plan)
    reports.report_attachment_add(plan=plan, actor=owner, kind="notice", uploaded_file=pdf())
    reports.report_submit(plan=plan, actor=owner, now=plan.ends_at)
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


@pytest.mark.parametrize("who", ["reviewer", "outsider", "professional"])
def test_only_the_owner_submits_the_report(plan, owner, request, who):
    ready(plan, owner)
    with pytest.raises(PermissionDenied):
        reports.report_submit(plan=plan, actor=request.getfixturevalue(who), now=plan.ends_at)


def test_a_report_cannot_be_submitted_before_the_training_ends(owner, reviewer):
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    with pytest.raises(ValidationError, match="不能提交培训报告"):
        reports.report_submit(plan=plan, actor=owner, now=NOW)

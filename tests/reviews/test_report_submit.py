import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from filings import reports, services
from filings.models import AttachmentKind, PlanState
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


def test_songshan_takes_a_late_report_and_counts_the_days(owner, songshan):
    """Songshan 2025: "请各行业主管部门务必于2025年3月15日前，将本行业《…培训花名册》、…培训计划等情况向区人力
    资源和社会保障局进行报备，逾期不予受理" — the refusal belongs to that filing, not to the two-week report
    ("要在培训工作结束后两周内，将培训情况报告提交")."""
    plan = _songshan_plan(owner, songshan)
    assert plan.authority == songshan.organisation
    ready(plan, owner)
    late = dt.datetime.combine(reports.report_due_date(plan) + dt.timedelta(days=1), dt.time(9), tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False):
        report = reports.report_submit(plan=plan, actor=owner)
    assert report.late_days == 1
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORTED


def test_songshan_takes_a_report_on_time_in_2025(owner, songshan):
    plan = _songshan_plan(owner, songshan)
    ready(plan, owner)
    report = reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=1))
    assert report.late_days == 0


def test_it_refuses_a_report_without_a_roster(plan, owner):
    upload_required(plan, owner)
    with pytest.raises(ValidationError, match="花名册"):
        reports.report_submit(plan=plan, actor=owner, now=plan.ends_at)


def test_a_2026_report_needs_the_notice_and_the_summary_only(plan, owner):
    """2026 §一(六)1: "按时报送培训总结…于培训结束后两周内将培训通知、《专业技术人员继续教育培训花名册》（附件2）
    上传至内蒙古人才信息库" — no evaluation table, sign-in sheets or photos."""
    assert reports.required_attachments(plan) == ["notice", "summary"]
    add_roster(plan)
    reports.report_attachment_add(plan=plan, actor=owner, kind=AttachmentKind.NOTICE, uploaded_file=pdf())
    with pytest.raises(ValidationError) as error:
        reports.report_submit(plan=plan, actor=owner, now=plan.ends_at)
    message = str(error.value)
    assert "培训总结" in message and "学员签到表" not in message and "培训效果评估表" not in message


@pytest.mark.parametrize("mode", ["face_to_face", "online", "mixed"])
@pytest.mark.parametrize("year", [2023, 2024])  # 2025: the owner sits in Songshan, whose own list applies
def test_the_2022_list_holds_for_every_mode_until_2025(owner, reviewer, mode, year):
    """2022 §四(二)2: "培训情况报告主要包括培训总结、培训通知、培训花名册、培训效果评估表、学员签到表、面授图片资料
    或网络培训截图（和培训花名册顺序一致）等内容" — online trainings included; the 2024 and 2025 sets keep it."""
    moment = dt.datetime(year, 3, 1, 9, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        plan = plan_awaiting_report(owner, reviewer, now=moment, mode=mode, credit_year=year,
                                    place="内蒙古专业技术人员继续教育平台")
    assert reports.required_attachments(plan) == ["summary", "notice", "evaluation", "sign_in", "photos"]


def test_songshan_keeps_its_own_list(owner, songshan):
    plan = _songshan_plan(owner, songshan)
    assert reports.required_attachments(plan) == ["notice", "summary", "plan_form", "sign_in", "photos"]


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


def _department_plan(*, subject: str):
    from accounts.models import Role

    OrganisationFactory(name="松山区人社局", kind="hrss", division=division("150404"))
    department = OrganisationFactory(name="松山区卫健委", kind="industry_dept", division=division("150404"))
    clerk = UserFactory(username="songshan_health", role=Role.ORGANISER, organisation=department)
    filed = dt.datetime(2025, 3, 16, 9, tzinfo=SHANGHAI)
    data = plan_data(starts_at=filed + dt.timedelta(days=30), subject=subject, credit_year=2025)
    return clerk, services.plan_create(actor=clerk, data=data, teachers=TEACHERS, now=filed), filed


def test_songshan_refuses_a_departments_professional_plan_after_15_march():
    """Songshan 2025: "请各行业主管部门务必于2025年3月15日前，将…2025年度继续教育专业科目培训计划等情况向区人力资源
    和社会保障局进行报备，逾期不予受理"."""
    clerk, plan, filed = _department_plan(subject="professional")
    with pytest.raises(ValidationError, match="逾期不予受理"):
        services.plan_submit(plan=plan, actor=clerk, now=filed)
    on_time = dt.datetime(2025, 3, 15, 23, 59, tzinfo=SHANGHAI)
    assert services.plan_submit(plan=plan, actor=clerk, now=on_time).state == PlanState.SUBMITTED


def test_songshan_takes_a_departments_public_plan_after_15_march():
    clerk, plan, filed = _department_plan(subject="public")
    assert services.plan_submit(plan=plan, actor=clerk, now=filed).state == PlanState.SUBMITTED


@pytest.mark.parametrize(("end_month", "due"), [(3, dt.date(2019, 5, 31)), (9, dt.date(2020, 5, 31))])
def test_a_2017_set_summary_is_due_when_the_audit_closes(owner, reviewer, end_month, due):
    """2017 §三(五): "区直继续教育审验工作截止到 2017 年 5 月 31 日，…在办理审验工作时提交培训总结" — no two weeks."""
    moment = dt.datetime(2019, end_month, 1, 9, tzinfo=SHANGHAI) - dt.timedelta(days=40)
    with time_machine.travel(moment, tick=False):
        plan = plan_awaiting_report(owner, reviewer, now=moment, credit_year=2019)
    assert reports.report_due_date(plan) == due
    assert reports.required_attachments(plan) == ["summary"]
    assert reports.report_period_words(plan) == "办理审验工作时"

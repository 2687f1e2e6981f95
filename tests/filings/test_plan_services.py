import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from filings import services
from filings.models import PlanState, PlanTransition
from tests.filings.conftest import NOW, TEACHERS, plan_data

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_with_a_readable_filing_number(make_plan, chifeng_bureau):
    first, second = make_plan(), make_plan()
    assert first.state == PlanState.DRAFT
    assert first.filing_no == "备-2026-1504-00001"
    assert second.filing_no == "备-2026-1504-00002"
    assert first.authority == chifeng_bureau


def test_a_region_level_base_files_with_the_region_bureau(region_bureau, chifeng_bureau):
    from accounts.models import Role
    from tests.factories import OrganisationFactory, UserFactory, division

    base = OrganisationFactory(kind="base_region", division=division("150000"))
    user = UserFactory(role=Role.ORGANISER, organisation=base)
    plan = services.plan_create(actor=user, data=plan_data(), teachers=TEACHERS, now=NOW)
    assert plan.authority == region_bureau
    assert plan.filing_no.startswith("备-2026-1500-")


def test_submit_writes_the_transition_row(make_plan, owner):
    plan = services.plan_submit(plan=make_plan(), actor=owner, now=NOW)
    assert plan.state == PlanState.SUBMITTED
    row = PlanTransition.objects.filter(plan=plan).last()
    assert (row.actor, row.from_state, row.to_state) == (owner, PlanState.DRAFT, PlanState.SUBMITTED)


def test_it_refuses_a_plan_filed_13_days_23_hours_before_start(make_plan, owner):
    plan = make_plan(starts_at=NOW + dt.timedelta(days=13, hours=23))
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(plan=plan, actor=owner, now=NOW)
    assert "2026年03月01日 08:00" in exc.value.messages[0]
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_it_accepts_a_plan_filed_exactly_14_days_before_start(make_plan, owner):
    plan = make_plan(starts_at=NOW + dt.timedelta(days=14))
    assert services.plan_submit(plan=plan, actor=owner, now=NOW).state == PlanState.SUBMITTED


def test_a_late_filing_exception_lets_one_plan_through(make_plan, owner, reviewer):
    late = make_plan(starts_at=NOW + dt.timedelta(days=5))
    other = make_plan(starts_at=NOW + dt.timedelta(days=5))
    services.plan_grant_late_exception(plan=late, actor=reviewer, reason="防汛应急培训，时间紧急")
    assert services.plan_submit(plan=late, actor=owner, now=NOW).state == PlanState.SUBMITTED
    with pytest.raises(ValidationError):
        services.plan_submit(plan=other, actor=owner, now=NOW)
    assert late.late_exception.granted_by == reviewer


def test_a_late_filing_exception_needs_a_reason_and_the_plans_authority(make_plan, reviewer, reviewer_other_league):
    plan = make_plan(starts_at=NOW + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.plan_grant_late_exception(plan=plan, actor=reviewer, reason=" ")
    with pytest.raises(PermissionDenied):
        services.plan_grant_late_exception(plan=plan, actor=reviewer_other_league, reason="理由")


def test_only_the_owner_submits(make_plan, outsider, reviewer):
    plan = make_plan()
    for actor in (outsider, reviewer):
        with pytest.raises(PermissionDenied):
            services.plan_submit(plan=plan, actor=actor, now=NOW)


@pytest.mark.parametrize("decision,state", [("approve", PlanState.APPROVED), ("return", PlanState.RETURNED),
                                            ("reject", PlanState.REJECTED)])
def test_the_reviewer_decides_and_the_reason_is_logged(submitted_plan, reviewer, decision, state):
    plan = services.plan_decide(plan=submitted_plan, actor=reviewer, decision=decision, reason="意见", now=NOW)
    assert plan.state == state
    assert plan.transitions.last().reason == "意见"
    assert plan.transitions.last().actor == reviewer


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_returning_or_rejecting_needs_a_reason(submitted_plan, reviewer, decision):
    with pytest.raises(ValidationError):
        services.plan_decide(plan=submitted_plan, actor=reviewer, decision=decision, reason="", now=NOW)


def test_a_reviewer_of_another_league_cannot_decide(submitted_plan, reviewer_other_league, region_reviewer):
    for actor in (reviewer_other_league, region_reviewer):
        with pytest.raises(PermissionDenied):
            services.plan_decide(plan=submitted_plan, actor=actor, decision="approve", now=NOW)


def test_nobody_reviews_a_plan_their_own_organisation_filed(chifeng_bureau):
    from accounts.models import Role
    from tests.factories import UserFactory

    region = UserFactory(role=Role.REVIEWER, organisation=chifeng_bureau)
    # The bureau itself organises a training: its plan goes to the bureau, which may not review it.
    filer = UserFactory(role=Role.ORGANISER, organisation=chifeng_bureau)
    plan = services.plan_create(actor=filer, data=plan_data(), teachers=TEACHERS, now=NOW)
    services.plan_submit(plan=plan, actor=filer, now=NOW)
    with pytest.raises(PermissionDenied):
        services.plan_decide(plan=plan, actor=region, decision="approve", now=NOW)


def test_a_second_decision_on_a_decided_plan_is_refused_with_a_message(submitted_plan, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="approve", now=NOW)
    with pytest.raises(ValidationError, match="已被他人处理"):
        services.plan_decide(plan=submitted_plan, actor=reviewer, decision="reject", reason="x", now=NOW)


def test_a_returned_plan_is_revised_and_resubmitted(submitted_plan, owner, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="return", reason="补充师资", now=NOW)
    data = plan_data(title="修改后的名称")
    services.plan_update(plan=submitted_plan, actor=owner, data=data, teachers=TEACHERS, now=NOW)
    plan = services.plan_submit(plan=submitted_plan, actor=owner, now=NOW)
    assert (plan.state, plan.title) == (PlanState.SUBMITTED, "修改后的名称")


def test_withdraw_and_cancel(submitted_plan, make_plan, owner):
    assert services.plan_withdraw(plan=submitted_plan, actor=owner).state == PlanState.WITHDRAWN
    draft = make_plan()
    with pytest.raises(ValidationError):
        services.plan_cancel(plan=draft, actor=owner, reason="")
    assert services.plan_cancel(plan=draft, actor=owner, reason="场地变更", now=NOW).state == PlanState.CANCELLED


def test_the_clock_moves_approved_plans_into_and_out_of_training(submitted_plan, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="approve", now=NOW)
    assert services.plans_advance_by_clock(now=submitted_plan.starts_at - dt.timedelta(minutes=1)) == 0
    assert services.plans_advance_by_clock(now=submitted_plan.starts_at) == 1
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == PlanState.IN_TRAINING
    services.plans_advance_by_clock(now=submitted_plan.ends_at)
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == PlanState.AWAITING_REPORT
    assert submitted_plan.transitions.last().actor is None


@pytest.mark.parametrize("overrides,field", [
    ({"ends_at": NOW + dt.timedelta(days=29)}, "ends_at"),
    ({"starts_at": NOW - dt.timedelta(days=1)}, "starts_at"),
    ({"planned_headcount": 0}, "planned_headcount"),
    ({"hours": 0}, "hours"),
    ({"hours": 25}, "hours"),  # three days hold at most 24 hours
    ({"subject": "history"}, "subject"),
    ({"mode": "radio"}, "mode"),
    ({"credit_year": 2027}, "credit_year"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(owner, chifeng_bureau, overrides, field):
    from filings.models import TrainingPlan

    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)
    assert field in exc.value.message_dict
    assert TrainingPlan.objects.count() == 0


def test_face_to_face_needs_teachers_but_online_does_not(owner, chifeng_bureau):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=owner, data=plan_data(), teachers=[], now=NOW)
    assert "teachers" in exc.value.message_dict
    plan = services.plan_create(actor=owner, data=plan_data(mode="online", platform="nmg.chinahrt.com"), teachers=[],
                                now=NOW)
    assert plan.pk


def test_a_makeup_plan_counts_toward_an_earlier_year_within_the_limit(owner, chifeng_bureau):
    plan = services.plan_create(actor=owner, data=plan_data(credit_year=2023), teachers=TEACHERS, now=NOW)
    assert plan.is_makeup and plan.credit_year == 2023


def test_2026_sets_no_limit_on_makeup_years(owner, chifeng_bureau):
    """2026 §一(二): "有条件的盟市和单位、继续教育基地可组织补学往年继续教育课程" — no limit in years."""
    plan = services.plan_create(actor=owner, data=plan_data(credit_year=2019), teachers=TEACHERS, now=NOW)
    assert plan.credit_year == 2019


def test_xilingol_2024_limits_makeup_to_2021_2023():
    """Xilingol 2024 §二: "未完成2021-2023年继续教育培训的专业技术人员，可在2024年1月15日至12月31日期间进行补学"."""
    from accounts.models import Role
    from tests.factories import OrganisationFactory, UserFactory, division

    OrganisationFactory(name="锡林郭勒盟人社局", kind="hrss", division=division("152500"))
    base = OrganisationFactory(name="锡盟继续教育基地", kind="base_league", division=division("152502"))
    clerk = UserFactory(role=Role.ORGANISER, organisation=base)
    when = dt.datetime(2024, 3, 1, 9, tzinfo=NOW.tzinfo)
    start = when + dt.timedelta(days=30)
    ok = services.plan_create(actor=clerk, data=plan_data(starts_at=start, credit_year=2021), teachers=TEACHERS,
                              now=when)
    assert ok.credit_year == 2021
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=clerk, data=plan_data(starts_at=start, credit_year=2020), teachers=TEACHERS,
                             now=when)
    assert "2021 年至 2024 年" in exc.value.message_dict["credit_year"][0]


def test_under_the_2017_set_a_plan_is_filed_before_the_start_not_two_weeks_before(owner, chifeng_bureau):
    """2017 §二(七)2: "将培训计划于培训开始前报自治区人力资源社会保障厅批准" — before the start, no two weeks."""
    filed = dt.datetime(2019, 5, 1, 9, tzinfo=NOW.tzinfo)
    start = filed + dt.timedelta(days=1)
    plan = services.plan_create(actor=owner, data=plan_data(starts_at=start, credit_year=2019), teachers=TEACHERS,
                                now=filed)
    assert services.plan_submit(plan=plan, actor=owner, now=filed).state == PlanState.SUBMITTED
    assert services.last_filing_moment(plan) == plan.starts_at

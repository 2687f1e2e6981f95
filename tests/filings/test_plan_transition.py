"""The one write path of a plan's state: every log row comes with its audit row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AuditEvent
from filings import services
from filings.models import PlanState, PlanTransition
from tests.filings.conftest import NOW, TEACHERS, plan_data


def audit_rows(plan):
    return list(AuditEvent.objects.filter(kind=AuditEvent.Kind.TRANSITION, target=plan.filing_no)
                .order_by("pk").values_list("actor", "detail__from_state", "detail__to_state", "detail__reason"))


def log_rows(plan):
    return list(PlanTransition.objects.filter(plan=plan).order_by("pk")
                .values_list("actor", "from_state", "to_state", "reason"))


def test_each_log_row_of_a_plans_life_has_its_audit_row(submitted_plan, owner, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="return", reason="补充师资", now=NOW)
    rows = log_rows(submitted_plan)
    assert [r[2] for r in rows] == [PlanState.DRAFT, PlanState.SUBMITTED, PlanState.RETURNED]
    assert audit_rows(submitted_plan) == rows


def test_creating_a_draft_is_logged_once(make_plan, owner):
    plan = make_plan()
    assert log_rows(plan) == [(owner.pk, PlanState.DRAFT, PlanState.DRAFT, "创建草稿")]
    assert audit_rows(plan) == log_rows(plan)


def test_an_edit_is_logged_without_moving_the_state(make_plan, owner):
    plan = make_plan()
    services.plan_update(plan=plan, actor=owner, data=plan_data(title="改名"), teachers=TEACHERS, now=NOW)
    plan.refresh_from_db()
    assert (plan.state, plan.title) == (PlanState.DRAFT, "改名")
    assert log_rows(plan)[-1] == (owner.pk, PlanState.DRAFT, PlanState.DRAFT, services.EDIT_REASON)
    assert audit_rows(plan)[-1] == log_rows(plan)[-1]


def test_a_late_filing_exception_is_logged(make_plan, reviewer):
    plan = make_plan()
    services.plan_grant_late_exception(plan=plan, actor=reviewer, reason="防汛推迟")
    assert log_rows(plan)[-1] == (reviewer.pk, PlanState.DRAFT, PlanState.DRAFT, "批准逾期备案：防汛推迟")
    assert audit_rows(plan)[-1] == log_rows(plan)[-1]


def test_a_clock_move_is_logged_without_an_actor(submitted_plan, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="approve", now=NOW)
    services.plans_advance_by_clock(now=submitted_plan.starts_at)
    assert audit_rows(submitted_plan)[-1] == (None, PlanState.APPROVED, PlanState.IN_TRAINING, "按培训时间自动变更")


def test_also_save_stores_the_named_fields_with_the_state(make_plan, owner):
    plan = make_plan()
    with transaction.atomic():
        locked = services.plan_lock(plan)
        locked.submitted_at = NOW
        services.plan_transition(plan=locked, method="submit", actor=owner, also_save=["submitted_at"])
    plan.refresh_from_db()
    assert (plan.state, plan.submitted_at) == (PlanState.SUBMITTED, NOW)


def test_a_refused_transition_writes_no_row(make_plan, owner):
    plan = make_plan()
    before = (PlanTransition.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match="不能执行此操作"), transaction.atomic():
        services.plan_transition(plan=services.plan_lock(plan), method="approve", actor=owner)
    assert (PlanTransition.objects.count(), AuditEvent.objects.count()) == before
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT

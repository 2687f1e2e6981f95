"""Late-filing exception requests: the organiser asks with a reason, the authority's reviewers claim and decide."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from filings import services
from filings.models import LateFilingException, PlanState
from reviews import late_exceptions
from reviews.models import LateExceptionRequest
from tests.factories import UserFactory
from tests.filings.conftest import NOW, TEACHERS, plan_data
from workflows.selectors import open_tasks_of_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_plan(owner, chifeng_bureau):
    return lambda **overrides: services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)


@pytest.fixture
def late_plan(make_plan):
    return make_plan(starts_at=NOW + dt.timedelta(days=5))  # the 14-day lead time has passed


@pytest.fixture
def colleague(reviewer):
    return UserFactory(username="colleague", role=Role.REVIEWER, organisation=reviewer.organisation)


def ask(plan, owner, reason="防汛应急培训，时间紧急"):
    return late_exceptions.late_exception_request(plan=plan, actor=owner, reason=reason, now=NOW)


def test_the_refusal_tells_the_organiser_they_can_request_the_exception(late_plan, owner):
    with pytest.raises(ValidationError, match="可在计划页面向审核部门申请逾期备案特批"):
        services.plan_submit(plan=late_plan, actor=owner, now=NOW)


def test_a_request_waits_in_the_authoritys_queue_only(late_plan, owner, reviewer, reviewer_other_league):
    request = ask(late_plan, owner)
    assert request.status == "pending" and request.requested_by == owner
    assert list(late_exceptions.queue_for(reviewer)) == [request]
    assert not late_exceptions.queue_for(reviewer_other_league).exists()
    assert not late_exceptions.queue_for(owner).exists()
    assert open_tasks_of_model(LateExceptionRequest).filter(process__artifact_object_id=request.pk).count() == 1


@pytest.mark.parametrize("case,message", [
    ("on_time", "尚未超过备案期限"), ("blank", "请填写申请逾期备案特批的理由"), ("twice", "已有待审批"),
])
def test_a_request_that_is_not_needed_or_incomplete_is_refused(make_plan, late_plan, owner, case, message):
    plan = make_plan(starts_at=NOW + dt.timedelta(days=30)) if case == "on_time" else late_plan
    if case == "twice":
        ask(plan, owner)
    with pytest.raises(ValidationError, match=message):
        ask(plan, owner, reason=" " if case == "blank" else "理由")
    assert LateExceptionRequest.objects.count() == (1 if case == "twice" else 0)


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_the_plans_organiser_requests(late_plan, request, who):
    with pytest.raises(PermissionDenied):
        ask(late_plan, request.getfixturevalue(who))
    assert not LateExceptionRequest.objects.exists()


def test_deciding_an_unclaimed_request_claims_it_and_grants_through_the_plan_service(late_plan, owner, reviewer):
    request = ask(late_plan, owner)
    late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=True, reason="情况属实")
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_reason) == ("granted", reviewer, "情况属实")
    assert LateFilingException.objects.get(plan=late_plan).granted_by == reviewer
    assert late_plan.transitions.filter(reason="批准逾期备案：情况属实", actor=reviewer).count() == 1
    assert not open_tasks_of_model(LateExceptionRequest).exists() and not late_exceptions.queue_for(reviewer).exists()
    assert services.plan_submit(plan=late_plan, actor=owner, now=NOW).state == PlanState.SUBMITTED


def test_a_refusal_leaves_the_plan_unexcepted(late_plan, owner, reviewer):
    request = ask(late_plan, owner)
    late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=False, reason="理由不充分")
    request.refresh_from_db()
    assert request.status == "refused" and not LateFilingException.objects.exists()
    with pytest.raises(ValidationError, match="当前为“不予批准”"):
        late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=True, reason="再议")


def test_a_decision_on_a_task_a_colleague_holds_is_refused(late_plan, owner, reviewer, colleague):
    request = ask(late_plan, owner)
    late_exceptions.late_exception_claim(request=request, actor=colleague)
    with pytest.raises(ValidationError, match="已由 .* 认领"):
        late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=True, reason="同意")
    request.refresh_from_db()
    assert request.status == "pending" and not LateFilingException.objects.exists()
    assert late_exceptions.queue_for(reviewer).get().claimed_by_id == colleague.pk
    with pytest.raises(PermissionDenied, match="只有认领"):
        late_exceptions.late_exception_release(request=request, actor=reviewer)
    late_exceptions.late_exception_release(request=request, actor=colleague)
    late_exceptions.late_exception_decide(request=request, actor=reviewer, grant=True, reason="同意")
    assert LateFilingException.objects.get(plan=late_plan).granted_by == reviewer


@pytest.mark.parametrize("who", ["owner", "reviewer_other_league", "region_reviewer"])
def test_only_the_plans_authority_decides(late_plan, owner, request, who):
    item = ask(late_plan, owner)
    with pytest.raises(PermissionDenied):
        late_exceptions.late_exception_decide(request=item, actor=request.getfixturevalue(who), grant=True, reason="x")
    assert not LateFilingException.objects.exists()


def test_the_journey_through_the_pages(client, late_plan, owner, reviewer, time_machine):
    time_machine.move_to(NOW)
    client.force_login(owner)
    page = client.get(reverse("filings:plan_detail", args=[late_plan.pk])).content.decode()
    assert "申请逾期备案特批" in page
    client.post(reverse("reviews:late_request", args=[late_plan.pk]), {"reason": "上级临时部署"})
    request = LateExceptionRequest.objects.get()
    assert "上级临时部署 — 待审批" in client.get(reverse("filings:plan_detail", args=[late_plan.pk])).content.decode()

    client.force_login(reviewer)
    inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert "上级临时部署" in inbox and late_plan.filing_no in inbox
    client.post(reverse("reviews:late_decide", args=[request.pk]), {"decision": "grant", "reason": "同意特批"})
    request.refresh_from_db()
    assert request.status == "granted"
    assert "上级临时部署" not in client.get(reverse("reviews:inbox")).content.decode()

"""The viewflow review process behind a submitted plan: queue, claim, release, decide, cancel."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import Role
from filings import services
from tests.factories import UserFactory
from tests.filings.conftest import NOW
from workflows.flows import PlanReviewFlow
from workflows.selectors import review_inbox_for, review_pool_for

pytestmark = pytest.mark.django_db


def review_task(plan):
    return Task.objects.filter(flow_task=PlanReviewFlow.review, process__artifact_object_id=plan.pk).get()


@pytest.fixture
def colleague(chifeng_bureau):
    return UserFactory(username="colleague", role=Role.REVIEWER, organisation=chifeng_bureau)


def test_submitting_opens_one_unclaimed_task_in_the_authoritys_queue(submitted_plan, reviewer, reviewer_other_league):
    assert review_task(submitted_plan).status == STATUS.NEW
    assert list(review_pool_for(reviewer)) == [submitted_plan]
    assert list(review_inbox_for(reviewer)) == []
    assert list(review_pool_for(reviewer_other_league)) == []


def test_claim_moves_the_task_to_my_inbox_and_out_of_the_queue(submitted_plan, reviewer, colleague):
    services.plan_claim(plan=submitted_plan, actor=reviewer)
    assert review_task(submitted_plan).owner == reviewer
    assert list(review_inbox_for(reviewer)) == [submitted_plan]
    assert list(review_pool_for(colleague)) == []


def test_a_claimed_task_cannot_be_claimed_or_decided_by_a_colleague(submitted_plan, reviewer, colleague):
    services.plan_claim(plan=submitted_plan, actor=reviewer)
    with pytest.raises(ValidationError, match="已由"):
        services.plan_claim(plan=submitted_plan, actor=colleague)
    with pytest.raises(ValidationError, match="已由"):
        services.plan_decide(plan=submitted_plan, actor=colleague, decision="approve", now=NOW)
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == "submitted"


def test_release_returns_the_task_to_the_queue(submitted_plan, reviewer, colleague):
    services.plan_claim(plan=submitted_plan, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.plan_release(plan=submitted_plan, actor=colleague)
    services.plan_release(plan=submitted_plan, actor=reviewer)
    assert review_task(submitted_plan).owner is None
    assert list(review_pool_for(colleague)) == [submitted_plan]


def test_an_outsider_cannot_claim(submitted_plan, reviewer_other_league):
    with pytest.raises(PermissionDenied):
        services.plan_claim(plan=submitted_plan, actor=reviewer_other_league)


def test_deciding_completes_the_task_with_the_deciders_name(submitted_plan, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="approve", now=NOW)
    task = review_task(submitted_plan)
    assert (task.status, task.owner) == (STATUS.DONE, reviewer)
    assert list(review_pool_for(reviewer)) == []


def test_withdrawing_cancels_the_task(submitted_plan, owner, reviewer):
    services.plan_withdraw(plan=submitted_plan, actor=owner)
    assert review_task(submitted_plan).status == STATUS.CANCELED
    assert list(review_pool_for(reviewer)) == []


def test_a_resubmitted_plan_gets_a_new_task(submitted_plan, owner, reviewer):
    services.plan_decide(plan=submitted_plan, actor=reviewer, decision="return", reason="补充材料", now=NOW)
    services.plan_submit(plan=submitted_plan, actor=owner, now=submitted_plan.submitted_at)
    tasks = Task.objects.filter(flow_task=PlanReviewFlow.review, process__artifact_object_id=submitted_plan.pk)
    assert sorted(t.status for t in tasks) == sorted([STATUS.DONE, STATUS.NEW])


def test_the_inbox_page_shows_mine_and_the_queue(client, submitted_plan, reviewer):
    client.force_login(reviewer)
    client.post(reverse("reviews:claim", args=[submitted_plan.pk]))
    mine = client.get(reverse("reviews:inbox"), {"scope": "mine"}).content.decode()
    pool = client.get(reverse("reviews:inbox"), {"scope": "pool"}).content.decode()
    assert submitted_plan.filing_no in mine and "我已认领" in mine
    assert submitted_plan.filing_no not in pool


def test_workflows_registers_the_review_process_that_filings_calls():
    from filings.review_process import review_process
    from workflows import services as workflow_services

    assert review_process() is workflow_services


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"])
@pytest.mark.parametrize("action", ["reviews:claim", "reviews:release"])
def test_claim_and_release_never_redirect_off_site(client, submitted_plan, reviewer, target, action):
    client.force_login(reviewer)
    if action == "reviews:release":
        client.post(reverse("reviews:claim", args=[submitted_plan.pk]))
    response = client.post(reverse(action, args=[submitted_plan.pk]), {"next": target})
    assert response.status_code == 302 and response.url == reverse("reviews:inbox")


def test_claim_follows_a_next_on_this_site(client, submitted_plan, reviewer):
    client.force_login(reviewer)
    back = reverse("filings:plan_detail", args=[submitted_plan.pk])
    response = client.post(reverse("reviews:claim", args=[submitted_plan.pk]), {"next": back})
    assert response.url == back

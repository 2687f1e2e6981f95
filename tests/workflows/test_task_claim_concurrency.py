"""Two reviewers act on the same authority task at once (PostgreSQL), for kinds beyond plan review and
late-filing requests: a report waiting for review and an amendment request. Exactly one wins."""

import pytest

from accounts.models import Role
from ledger.flows import AmendmentFlow
from ledger.models import AmendmentRequest, HourEntry
from ledger.services import amendment_approve, amendment_reject, amendment_request
from reviews.flows import ReportReviewFlow
from tests.factories import UserFactory
from tests.ledger.support import certified_plan, reported_plan
from tests.reviews.test_late_exception_concurrency import race
from workflows.selectors import authority_tasks_for, open_tasks_of_model
from workflows.services import inbox_task_claim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def second(chifeng_bureau):
    return UserFactory(username="reviewer_b", role=Role.REVIEWER, organisation=chifeng_bureau)


def test_two_reviewers_claiming_a_report_at_once_one_wins(owner, reviewer, second):
    plan = reported_plan(owner, reviewer)
    task = authority_tasks_for(reviewer).get()
    outcomes = race(lambda: inbox_task_claim(task_id=task.pk, actor=reviewer),
                    lambda: inbox_task_claim(task_id=task.pk, actor=second))
    assert outcomes.count("ok") == 1, outcomes
    assert any("已由" in o for o in outcomes if o != "ok")
    (open_task,) = open_tasks_of_model(type(plan), flow=ReportReviewFlow)
    assert open_task.owner_id in (reviewer.pk, second.pk)


def test_two_reviewers_deciding_an_unclaimed_amendment_at_once_record_one_decision(owner, reviewer, second):
    plan = certified_plan(owner, reviewer)
    entry = HourEntry.objects.filter(plan=plan).order_by("pk").first()
    request = amendment_request(entry=entry, actor=owner, new_hours=entry.hours - 1, reason="签到表核对有误")
    outcomes = race(lambda: amendment_approve(request=request, actor=reviewer),
                    lambda: amendment_reject(request=request, actor=second, reason="签到表无误"))
    assert outcomes.count("ok") == 1, outcomes
    request.refresh_from_db()
    assert request.status in ("approved", "rejected") and request.decided_by_id in (reviewer.pk, second.pk)
    assert HourEntry.objects.filter(kind="reversal").count() == (1 if request.status == "approved" else 0)
    assert not open_tasks_of_model(AmendmentRequest, flow=AmendmentFlow).exists()


def test_a_decision_racing_a_colleagues_claim_never_overrides_it(owner, reviewer, second):
    plan = certified_plan(owner, reviewer)
    entry = HourEntry.objects.filter(plan=plan).order_by("pk").first()
    request = amendment_request(entry=entry, actor=owner, new_hours=entry.hours - 1, reason="签到表核对有误")
    task = authority_tasks_for(reviewer).get()
    outcomes = race(lambda: inbox_task_claim(task_id=task.pk, actor=second),
                    lambda: amendment_approve(request=request, actor=reviewer))
    request.refresh_from_db()
    if request.status == "approved":  # the decision came first and claimed the task for its decider
        assert request.decided_by_id == reviewer.pk and outcomes.count("ok") == 1
    else:  # the colleague's claim came first: the decision was refused and nothing was written
        assert request.status == "pending" and not HourEntry.objects.filter(kind="reversal").exists()
        assert open_tasks_of_model(AmendmentRequest, flow=AmendmentFlow).get().owner_id == second.pk

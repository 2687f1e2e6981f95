"""A plan still undecided when its training starts can be rejected or withdrawn, never approved."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from filings import services
from filings.decision_window import UNDECIDED_AT_START, plans_undecided_at_start_notify
from filings.models import PlanState
from notifications.models import Notification

pytestmark = pytest.mark.django_db
NOTICE = "经审核后组织开展培训"


@pytest.fixture
def started(submitted_plan):
    return submitted_plan.starts_at


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_it_refuses_to_approve_or_return_once_the_training_has_started(submitted_plan, reviewer, started, decision):
    """2026 §一(六)1: "须在开展培训前两周将…《专业技术人员年度培训计划备案表》…上传至内蒙古人才信息库，
    经审核后组织开展培训"."""
    with pytest.raises(ValidationError) as exc:
        services.plan_decide(plan=submitted_plan, actor=reviewer, decision=decision, reason="意见", now=started)
    assert NOTICE in exc.value.messages[0] and "不予备案" in exc.value.messages[0]
    submitted_plan.refresh_from_db()
    assert submitted_plan.state == PlanState.SUBMITTED


def test_a_minute_before_the_start_it_may_still_be_approved(submitted_plan, reviewer, started):
    plan = services.plan_decide(plan=submitted_plan, actor=reviewer, decision="approve",
                                now=started - dt.timedelta(minutes=1))
    assert plan.state == PlanState.APPROVED


def test_after_the_start_the_reviewer_rejects_and_the_organiser_withdraws(submitted_plan, make_plan, owner,
                                                                          reviewer, started):
    rejected = services.plan_decide(plan=submitted_plan, actor=reviewer, decision="reject", reason="培训已开始",
                                    now=started)
    assert rejected.state == PlanState.REJECTED
    other = services.plan_submit(plan=make_plan(), actor=owner, now=started - dt.timedelta(days=30))
    with time_machine.travel(other.starts_at + dt.timedelta(hours=1), tick=False):
        assert services.plan_withdraw(plan=other, actor=owner).state == PlanState.WITHDRAWN


def test_a_late_filing_exception_does_not_open_approval_after_the_start(make_plan, owner, reviewer):
    """The exception lets a plan be submitted inside the two weeks; it is still decided before the start."""
    from tests.filings.conftest import NOW

    plan = make_plan(starts_at=NOW + dt.timedelta(days=3))
    services.plan_grant_late_exception(plan=plan, actor=reviewer, reason="临时任务")
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    with pytest.raises(ValidationError, match="逾期备案特批只放宽提交期限"):
        services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=plan.starts_at)


def test_the_organiser_is_told_once_and_it_is_logged(submitted_plan, owner, started,
                                                     django_capture_on_commit_callbacks):
    # Delivered after the commit through the notification pipeline, as a worker would.
    with django_capture_on_commit_callbacks(execute=True):
        assert plans_undecided_at_start_notify(now=started - dt.timedelta(seconds=1)) == 0
        assert plans_undecided_at_start_notify(now=started) == 1
        assert plans_undecided_at_start_notify(now=started + dt.timedelta(hours=1)) == 0
    message = Notification.objects.get(user=owner)
    assert submitted_plan.filing_no in message.title and NOTICE in message.body
    assert message.url == reverse("filings:plan_detail", args=[submitted_plan.pk])
    assert submitted_plan.transitions.filter(reason=UNDECIDED_AT_START, to_state=PlanState.SUBMITTED).count() == 1


def test_both_inboxes_and_the_plan_page_show_it(client, submitted_plan, owner, reviewer, started):
    with time_machine.travel(started + dt.timedelta(hours=1), tick=False):
        client.force_login(owner)
        assert "培训已开始仍未审核" in client.get(reverse("filings:plan_list")).content.decode()
        client.force_login(reviewer)
        services.plan_claim(plan=submitted_plan, actor=reviewer)
        assert "培训已开始，只能不予备案" in client.get(reverse("reviews:inbox")).content.decode()
        page = client.get(reverse("filings:plan_detail", args=[submitted_plan.pk])).content.decode()
    assert NOTICE in page and "不予备案" in page
    assert reverse("filings:plan_decide", args=[submitted_plan.pk, "approve"]) not in page
    assert reverse("filings:plan_decide", args=[submitted_plan.pk, "reject"]) in page


def test_before_the_start_the_pages_offer_approval(client, submitted_plan, reviewer, started):
    with time_machine.travel(started - dt.timedelta(days=1), tick=False):
        client.force_login(reviewer)
        page = client.get(reverse("filings:plan_detail", args=[submitted_plan.pk])).content.decode()
        inbox = client.get(reverse("reviews:inbox")).content.decode()
    assert reverse("filings:plan_decide", args=[submitted_plan.pk, "approve"]) in page
    assert "只能不予备案" not in inbox

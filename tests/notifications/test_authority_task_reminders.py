"""Open authority tasks (here a report waiting for review) remind the authority before their deadline
and, once overdue, escalate to the reviewers of the authority above (workflows.deadlines)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from common.task_routing import due_moment
from notifications.models import Reminder
from tests.ledger.support import reported_plan
from tests.notifications.conftest import NOW, told
from workflows.selectors import authority_tasks_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report_task(owner, reviewer, region_bureau):
    with time_machine.travel(NOW, tick=False):
        reported_plan(owner, reviewer, now=NOW)
    task = authority_tasks_for(reviewer).get()
    return task, timezone.localtime(due_moment(task.process.data["due"]))


def test_it_reminds_the_authority_and_escalates_to_the_one_above_once_overdue(report_task, reviewer, region_reviewer,
                                                                              reviewer_other_league, sweep_at):
    task, due = report_task
    sweep_at(due - dt.timedelta(days=1))
    assert len(told(reviewer)) == 1 and "培训报告审核" in told(reviewer)[0] and told(region_reviewer) == []
    sweep_at(due + dt.timedelta(days=1))
    assert len(told(region_reviewer)) == 1 and told(region_reviewer)[0].endswith("（已逾期1天）")
    escalation = Reminder.objects.get(recipient=region_reviewer)
    assert escalation.escalation and escalation.kind == "authority_task"
    assert told(reviewer_other_league) == []
    sweep_at(due + dt.timedelta(days=1, hours=5))
    assert Reminder.objects.filter(recipient=region_reviewer).count() == 1


def test_a_decided_task_reminds_nobody(report_task, reviewer, region_reviewer, sweep_at):
    from filings.models import TrainingPlan
    from reviews.certification import report_accept

    task, due = report_task
    report_accept(plan=TrainingPlan.objects.get(pk=task.process.artifact_object_id), actor=reviewer)
    sweep_at(due + dt.timedelta(days=1))
    assert not Reminder.objects.filter(kind="authority_task", object_key=f"task:{task.pk}@{task.process.data['due']}")\
        .exists()


def test_the_holder_alone_is_reminded_of_a_claimed_task(report_task, reviewer, chifeng_bureau, sweep_at):
    from tests.factories import UserFactory
    from workflows.services import inbox_task_claim

    colleague = UserFactory(username="colleague", role="reviewer", organisation=chifeng_bureau)
    task, due = report_task
    inbox_task_claim(task_id=task.pk, actor=colleague)
    sweep_at(due - dt.timedelta(days=1))
    assert len(told(colleague)) == 1 and told(reviewer) == []

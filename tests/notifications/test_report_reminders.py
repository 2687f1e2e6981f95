import pytest
import time_machine

from filings import services as filings
from notifications.models import Delivery, Reminder
from tests.notifications.conftest import NOW, at, told


@pytest.fixture
def awaiting_report(submitted, reviewer):
    """Training 31 March – 2 April; the report is due by the end of 16 April (two weeks)."""
    with time_machine.travel(NOW, tick=False):
        filings.plan_decide(plan=submitted, actor=reviewer, decision="approve")
    filings.plans_advance_by_clock(now=at(4, 3))
    submitted.refresh_from_db()
    assert submitted.state == "awaiting_report"
    return submitted


def test_it_tells_the_organiser_before_the_report_is_due(awaiting_report, owner, reviewer, sweep_at):
    sweep_at(at(4, 9))
    assert len(told(owner)) == 1 and "培训情况报告" in told(owner)[0] and "还有7天" in told(owner)[0]
    assert told(reviewer) == []


def test_once_overdue_it_escalates_to_the_authority_reviewers(awaiting_report, owner, reviewer, sweep_at):
    sweep_at(at(4, 16))
    assert told(reviewer) == []
    sweep_at(at(4, 17))
    assert told(owner)[-1].endswith("（已逾期1天）") and told(reviewer)[-1].endswith("（已逾期1天）")
    escalation = Reminder.objects.get(recipient=reviewer)
    assert escalation.escalation and escalation.step == 1
    assert Delivery.objects.filter(reminder=escalation, channel="sms", done_at__isnull=False).exists()
    sweep_at(at(4, 17, hour=15))
    assert Reminder.objects.filter(recipient=reviewer).count() == 1


def test_the_reports_own_due_date_wins(awaiting_report, owner, sweep_at):
    from filings.models import TrainingReport

    TrainingReport.objects.create(plan=awaiting_report, due_at=at(4, 30, hour=18))
    sweep_at(at(4, 16))
    assert told(owner) == []
    sweep_at(at(4, 23))
    assert "还有7天" in told(owner)[0]

from django.core import mail

from filings import services as filings
from notifications.models import Reminder
from tests.notifications.conftest import at, mails_to, told


def test_it_tells_the_organiser_seven_days_before_the_last_filing_day(draft_plan, owner, reviewer, outsider,
                                                                       sweep_at):
    sweep_at(at(3, 10, hour=7))
    assert told(owner) == []
    result = sweep_at(at(3, 10))
    assert result.claimed == 1
    assert told(owner) == [f"培训计划“{draft_plan.title}”（{draft_plan.filing_no}）备案截止（还有7天截止）"]
    assert len(mails_to("owner@example.cn")) == 1
    assert told(reviewer) == [] and told(outsider) == []


def test_a_second_sweep_sends_nothing(draft_plan, owner, sweep_at):
    sweep_at(at(3, 10))
    sent = len(mail.outbox)
    result = sweep_at(at(3, 10, hour=10))
    assert (result.created, result.claimed) == (0, 0)
    assert len(told(owner)) == 1 and len(mail.outbox) == sent


def test_catch_up_after_a_missed_sweep_sends_only_the_latest_step(draft_plan, owner, sweep_at):
    sweep_at(at(3, 10))
    result = sweep_at(at(3, 16))  # the sweeps of 14 March (step −3) never ran
    assert result.claimed == 1
    assert told(owner)[-1].endswith("（还有1天截止）") and len(told(owner)) == 2
    steps = dict(Reminder.objects.filter(recipient=owner).values_list("step", "skipped_at"))
    assert set(steps) == {-7, -3, -1} and steps[-3] is not None and steps[-1] is None


def test_it_sends_each_step_once_on_its_day(draft_plan, owner, sweep_at):
    for day in (10, 14, 16, 17):
        sweep_at(at(3, day))
        sweep_at(at(3, day, hour=12))
    assert [t.split("（")[-1] for t in told(owner)] == ["还有7天截止）", "还有3天截止）", "还有1天截止）", "今天截止）"]


def test_a_submitted_plan_is_no_longer_reminded(draft_plan, owner, sweep_at):
    sweep_at(at(3, 10))
    filings.plan_submit(plan=draft_plan, actor=owner, now=at(3, 11))
    sweep_at(at(3, 14))
    assert len(told(owner)) == 1

from notifications.models import Delivery
from tests.notifications.conftest import at, told


def test_it_tells_the_authority_reviewers_as_the_start_nears(submitted, owner, reviewer, reviewer_other_league,
                                                              sweep_at):
    sweep_at(at(3, 24))
    assert len(told(reviewer)) == 1 and "待审核" in told(reviewer)[0]
    assert told(owner) == [] and told(reviewer_other_league) == []


def test_it_escalates_the_day_before_the_start_on_every_channel(submitted, reviewer, sweep_at):
    sweep_at(at(3, 24))
    channels = set(Delivery.objects.filter(reminder__recipient=reviewer, reminder__step=-7)
                   .values_list("channel", flat=True))
    assert channels == {"inapp", "email"}  # SMS is off unless chosen
    sweep_at(at(3, 30))
    escalated = Delivery.objects.filter(reminder__recipient=reviewer, reminder__step=-1)
    assert set(escalated.values_list("channel", flat=True)) == {"inapp", "email", "sms"}
    assert all(d.done_at for d in escalated)


def test_a_decided_plan_is_no_longer_reminded(submitted, reviewer, sweep_at):
    from filings import services as filings

    sweep_at(at(3, 24))
    filings.plan_decide(plan=submitted, actor=reviewer, decision="approve", now=at(3, 24))
    sweep_at(at(3, 28))
    assert len(told(reviewer)) == 1

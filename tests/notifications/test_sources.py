"""A later app (spot-check rectification) registers its own deadline source."""

import pytest

from notifications import deadlines
from notifications.deadlines import Deadline, DeadlineSource
from tests.notifications.conftest import at, told


@pytest.fixture
def rectification(owner):
    def collect(ctx, start, end, user=None):
        due = at(5, 20, hour=17)
        if start <= due <= end:
            yield Deadline(kind="spotcheck_rectify", object_key="inspection:1", due_at=due, title="抽查整改期限",
                           action="请提交整改报告。", url="", recipients=frozenset([owner.pk]))

    real = deadlines.source_for("spotcheck_rectify")
    source = deadlines.register_source(DeadlineSource("spotcheck_rectify", "抽查整改", collect, offsets=(-3, 0)))
    yield source
    deadlines._SOURCES.pop("spotcheck_rectify")
    if real is not None:
        deadlines.register_source(real)  # the reviews app's own source, registered at start-up


def test_a_registered_source_is_swept(rectification, owner, sweep_at):
    sweep_at(at(5, 17))
    assert told(owner) == ["抽查整改期限（还有3天截止）"]


def test_a_schedule_row_overrides_the_default_steps(draft_plan, owner, sweep_at):
    from notifications.models import ReminderSchedule

    ReminderSchedule.objects.create(kind="plan_filing", offsets=[-10, 0])
    sweep_at(at(3, 7))
    assert told(owner)[0].endswith("（还有10天截止）")

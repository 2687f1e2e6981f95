"""Two reviewers decide the same plan at the same moment: exactly one decision is recorded."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Role
from filings import services
from filings.models import PlanState, PlanTransition
from tests.factories import UserFactory
from tests.filings.conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_simultaneous_decisions_record_exactly_one(submitted_plan, reviewer, chifeng_bureau):
    second = UserFactory(username="reviewer_b", role=Role.REVIEWER, organisation=chifeng_bureau)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(actor, decision):
        try:
            barrier.wait()
            services.plan_decide(plan=submitted_plan, actor=actor, decision=decision, reason="并发审核", now=NOW)
            outcomes.append(("ok", decision))
        except ValidationError as error:
            outcomes.append(("refused", error.messages[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(reviewer, "approve")),
               threading.Thread(target=decide, args=(second, "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refused = next(msg for kind, msg in outcomes if kind == "refused")
    assert "已被他人处理" in refused
    submitted_plan.refresh_from_db()
    decisions = PlanTransition.objects.filter(plan=submitted_plan, from_state=PlanState.SUBMITTED)
    assert decisions.count() == 1
    assert submitted_plan.state == decisions.get().to_state

"""Two reviewers act on the same late-filing request at once (PostgreSQL): exactly one wins."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Role
from filings import services
from filings.models import LateFilingException
from reviews import late_exceptions
from reviews.models import LateExceptionRequest
from tests.factories import UserFactory
from tests.filings.conftest import NOW, TEACHERS, plan_data
from workflows.selectors import open_tasks_of_model

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def request_and_reviewers(owner, reviewer, chifeng_bureau):
    plan = services.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=5)),
                                teachers=TEACHERS, now=NOW)
    item = late_exceptions.late_exception_request(plan=plan, actor=owner, reason="临时任务", now=NOW)
    second = UserFactory(username="reviewer_b", role=Role.REVIEWER, organisation=chifeng_bureau)
    return item, reviewer, second


def test_two_reviewers_claiming_at_once_one_wins(request_and_reviewers):
    item, first, second = request_and_reviewers
    outcomes = race(lambda: late_exceptions.late_exception_claim(request=item, actor=first),
                    lambda: late_exceptions.late_exception_claim(request=item, actor=second))
    assert outcomes.count("ok") == 1, outcomes
    assert any("认领" in o for o in outcomes if o != "ok")
    holder = late_exceptions.queue_for(first).get().claimed_by_id
    assert holder in (first.pk, second.pk)


def test_two_reviewers_deciding_an_unclaimed_request_at_once_record_one_decision(request_and_reviewers):
    item, first, second = request_and_reviewers
    outcomes = race(
        lambda: late_exceptions.late_exception_decide(request=item, actor=first, grant=True, reason="同意"),
        lambda: late_exceptions.late_exception_decide(request=item, actor=second, grant=False, reason="不同意"))
    assert outcomes.count("ok") == 1, outcomes
    item.refresh_from_db()
    assert item.status in ("granted", "refused") and item.decided_by_id in (first.pk, second.pk)
    assert LateFilingException.objects.filter(plan=item.plan).count() == (1 if item.status == "granted" else 0)
    assert not open_tasks_of_model(LateExceptionRequest).exists()

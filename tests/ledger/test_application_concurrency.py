"""Two reviewers decide the same credit application at the same moment: exactly one credit is written."""

import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Role
from ledger.models import ApplicationState, ApplicationTransition, CreditApplication, HourEntry
from ledger.services.applications import application_approve, application_reject, credit_apply
from tests.factories import UserFactory
from tests.ledger.applications_support import NOW, employer, evidence, exam, person_of_employer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_simultaneous_decisions_write_exactly_one(reviewer, chifeng_bureau, professional, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    second = UserFactory(username="reviewer_b", role=Role.REVIEWER, organisation=chifeng_bureau)
    with time_machine.travel(NOW, tick=False):
        doctor = person_of_employer(employer(), user=professional)
        application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    barrier, outcomes = threading.Barrier(2), []

    def decide(action, actor, reason):
        try:
            barrier.wait()
            action(application=CreditApplication.objects.get(pk=application.pk), actor=actor, reason=reason)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(application_approve, reviewer, "同意")),
               threading.Thread(target=decide, args=(application_reject, second, "不同意"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("ok") == 1 and len(outcomes) == 2
    refused = next(o for o in outcomes if o != "ok")
    assert "当前状态为" in refused or "已由" in refused
    application.refresh_from_db()
    decided = ApplicationTransition.objects.filter(credit=application, from_state=ApplicationState.SUBMITTED)
    assert decided.count() == 1 and application.state == decided.get().to_state
    assert HourEntry.objects.count() == (1 if application.state == ApplicationState.APPROVED else 0)

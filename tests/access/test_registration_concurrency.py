"""At the same moment: one code used twice, two accounts racing for one ID number, two links for one person."""

import threading

import pytest
from django.db import connection

from access import registration
from access.codes import CodeResult
from access.models import AccountIdentity
from accounts.models import User
from ledger.models import Person
from tests.access.sms_outbox import codes_sent_to
from tests.factories import UserFactory
from tests.ledger.support import id_number

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Grassland-2026!"


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_one_code_submitted_twice_at_once_makes_one_account():
    row = registration.registration_start(id_number=id_number(1), name="学员1", phone="13800000000", ip="10.0.0.1")
    [code] = codes_sent_to("13800000000")
    complete = lambda: registration.registration_complete(pk=row.pk, code=code, password=PASSWORD)[0]  # noqa: E731
    outcomes = run_together(complete, complete)
    assert sorted(o.value for o in outcomes) == sorted([CodeResult.ACCEPTED.value, CodeResult.EXPIRED.value])
    assert User.objects.filter(username=id_number(1)).count() == 1


def test_two_codes_for_one_id_number_confirmed_at_once_make_one_account():
    first = registration.registration_start(id_number=id_number(1), name="学员1", phone="13800000001", ip="10.0.0.1")
    second = registration.registration_start(id_number=id_number(1), name="学员1", phone="13800000002", ip="10.0.0.2")
    codes = {row.pk: codes_sent_to(row.phone)[0] for row in (first, second)}
    outcomes = run_together(
        *[lambda pk=pk: registration.registration_complete(pk=pk, code=codes[pk], password=PASSWORD)[0]
          for pk in codes])
    assert sorted(o.value for o in outcomes) == sorted([CodeResult.ACCEPTED.value, CodeResult.WRONG.value])
    assert AccountIdentity.objects.filter(id_number=id_number(1)).count() == 1


def test_two_accounts_cannot_both_take_one_person():
    person = Person.objects.create(id_number=id_number(1), name="学员1", sex="M", birth_date="1980-01-01")
    users = [UserFactory(role="professional", organisation=None) for _ in range(2)]
    outcomes = run_together(*[lambda u=u: registration.person_user_link(person=person, user=u) for u in users])
    assert sorted(outcomes) == [False, True]
    person.refresh_from_db()
    assert person.user in users

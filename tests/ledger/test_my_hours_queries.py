"""我的学时 keeps a constant number of queries however many entries and years a person has."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledger.models import HourEntry, Person
from ledger.services import amendment_approve, amendment_request
from tests.filings.conftest import NOW
from tests.ledger.support import certified_plan, id_number

pytestmark = pytest.mark.django_db


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("ledger:my_hours")).status_code == 200
    return len(ctx)


def test_it_keeps_a_constant_number_of_queries(client, plan, professional, owner, reviewer):
    Person.objects.filter(id_number=id_number(1)).update(user=professional)
    client.force_login(professional)
    few = _queries(client)
    for days in (60, 400):  # more trainings, one in another credit year
        certified_plan(owner, reviewer, starts_at=NOW + dt.timedelta(days=days))
    entry = HourEntry.objects.filter(person__user=professional).order_by("pk").first()
    amendment_approve(request=amendment_request(entry=entry, actor=owner, new_hours=20, reason="更正"),
                      actor=reviewer)
    assert HourEntry.objects.filter(person__user=professional).count() == 5
    assert _queries(client) == few

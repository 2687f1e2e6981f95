import datetime as dt

import pytest

from accounts.models import Role
from ledger.models import HourEntry, Person
from tests.factories import UserFactory
from tests.notifications.conftest import at, told


def _person(user, id_number, public, professional, authority):
    person = Person.objects.create(id_number=id_number, name=user.display_name, sex="M",
                                   birth_date=dt.date(1985, 1, 1), user=user)
    for subject, hours in (("public", public), ("professional", professional)):
        HourEntry.objects.create(person=person, year=2026, subject=subject, hours=hours, authority=authority)
    return person


@pytest.fixture
def short(chifeng_bureau):
    user = UserFactory(role=Role.PROFESSIONAL, organisation=None)
    _person(user, "150102198501010011", 20, 60, chifeng_bureau)
    return user


@pytest.fixture
def complete(chifeng_bureau):
    user = UserFactory(role=Role.PROFESSIONAL, organisation=None)
    _person(user, "150102198501010038", 30, 60, chifeng_bureau)
    return user


def test_from_october_it_tells_professionals_short_of_the_minimums(short, complete, sweep_at):
    sweep_at(at(9, 30))
    assert told(short) == []
    sweep_at(at(10, 1))
    assert told(short) == ["2026年度继续教育学时未达标：公需科目20/30学时，专业科目60/60学时（还有91天截止）"]
    assert told(complete) == []
    sweep_at(at(10, 1, hour=18))
    assert len(told(short)) == 1

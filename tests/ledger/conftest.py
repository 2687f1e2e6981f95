import pytest

from accounts.models import Role
from ledger.models import HourEntry
from tests.factories import UserFactory
from tests.ledger.applications_support import employer, hr_user, person_of_employer
from tests.ledger.support import certified_plan


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(owner, reviewer):
    return certified_plan(owner, reviewer)


@pytest.fixture
def entry(plan):
    return HourEntry.objects.filter(plan=plan).order_by("pk").first()


@pytest.fixture
def second_reviewer(chifeng_bureau):
    return UserFactory(username="reviewer2", role=Role.REVIEWER, organisation=chifeng_bureau)


@pytest.fixture
def hospital(chifeng_bureau):
    """An employer (松山区医院) under 赤峰市's bureau: its staff apply, its HR files and records for them."""
    return employer()


@pytest.fixture
def hr(hospital):
    return hr_user(hospital)


@pytest.fixture
def doctor(hospital, professional):
    """The professional's own Person, employed by the hospital."""
    return person_of_employer(hospital, user=professional)

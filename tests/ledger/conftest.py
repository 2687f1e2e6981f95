import pytest

from accounts.models import Role
from ledger.models import HourEntry
from tests.factories import UserFactory
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

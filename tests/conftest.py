"""Standing cast for permission tests: owner, reviewer of the node, and outsiders.

Chifeng (150400) holds the owner organiser and its reviewer; Ordos (150600) holds the
outsider organiser and a reviewer of another league.
"""

import os

import pytest

from accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory, division


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)"))
        if "celery_worker" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(pytest.mark.skip(reason="needs Redis (REDIS_URL)"))


@pytest.fixture
def chifeng_bureau(db):
    return OrganisationFactory(name="赤峰市人社局", kind="hrss", division=division("150400"))


@pytest.fixture
def ordos_bureau(db):
    return OrganisationFactory(name="鄂尔多斯市人社局", kind="hrss", division=division("150600"))


@pytest.fixture
def region_bureau(db):
    return OrganisationFactory(name="自治区人社厅专技处", kind="hrss", division=division("150000"))


@pytest.fixture
def owner_org(db):
    return OrganisationFactory(name="赤峰市继续教育基地", kind="base_league", division=division("150404"))


@pytest.fixture
def outsider_org(db):
    return OrganisationFactory(name="鄂尔多斯市继续教育基地", kind="base_league", division=division("150602"))


@pytest.fixture
def owner(owner_org):
    return UserFactory(username="owner", role=Role.ORGANISER, organisation=owner_org)


@pytest.fixture
def outsider(outsider_org):
    return UserFactory(username="outsider", role=Role.ORGANISER, organisation=outsider_org)


@pytest.fixture
def reviewer(chifeng_bureau):
    return UserFactory(username="reviewer", role=Role.REVIEWER, organisation=chifeng_bureau)


@pytest.fixture
def reviewer_other_league(ordos_bureau):
    return UserFactory(username="reviewer_ordos", role=Role.REVIEWER, organisation=ordos_bureau)


@pytest.fixture
def region_reviewer(region_bureau):
    return UserFactory(username="reviewer_region", role=Role.REVIEWER, organisation=region_bureau)


@pytest.fixture
def region_unit(region_bureau):
    """A region-level unit (自治区本级单位): the rules may have its own HR certify its staff's hours."""
    from jurisdiction.models import ManagementLevel

    return OrganisationFactory(name="内蒙古自治区人民医院", kind="employer", division=division("150000"),
                               management_level=ManagementLevel.REGION_UNIT)


@pytest.fixture
def inspector(region_bureau):
    return UserFactory(username="inspector", role=Role.INSPECTOR, organisation=region_bureau)


@pytest.fixture
def professional(db):
    return UserFactory(username="prof", role=Role.PROFESSIONAL, organisation=None)

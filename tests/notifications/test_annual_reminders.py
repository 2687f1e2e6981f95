import pytest

from accounts.models import Role
from tests.factories import OrganisationFactory, UserFactory, division
from tests.notifications.conftest import at, told


@pytest.fixture
def songshan_dept(db):
    org = OrganisationFactory(name="松山区卫生健康委员会", kind="industry_dept", division=division("150404"))
    return UserFactory(role=Role.ORGANISER, organisation=org)


@pytest.fixture
def ordos_dept(db):
    org = OrganisationFactory(name="鄂尔多斯市教育局", kind="industry_dept", division=division("150600"))
    return UserFactory(role=Role.ORGANISER, organisation=org)


def test_the_knowledge_update_table_is_due_from_league_bureaus_and_departments(
        owner, reviewer, songshan_dept, ordos_dept, sweep_at):
    sweep_at(at(1, 24))  # 31 January 2026 − 7 days
    for user in (reviewer, songshan_dept, ordos_dept):
        assert any("知识更新工程" in t and "还有7天" in t for t in told(user)), user
    assert told(owner) == []  # a base is not asked for the table


def test_songshans_march_deadline_binds_only_its_departments(songshan_dept, ordos_dept, reviewer, sweep_at):
    sweep_at(at(3, 8, year=2025))
    assert any("花名册" in t for t in told(songshan_dept))
    assert told(ordos_dept) == [] and told(reviewer) == []


def test_it_does_not_remind_of_a_deadline_not_in_force(songshan_dept, sweep_at):
    sweep_at(at(3, 8, year=2026))  # the Songshan 2025 notice ended with 2025
    assert not any("花名册" in t for t in told(songshan_dept))

import pytest

from accounts.selectors import is_authority_over, scope_q
from jurisdiction.models import Organisation

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Organisation.objects.filter(scope_q(user, organisation_field="")).values_list("name", flat=True))


@pytest.fixture(autouse=True)
def orgs(owner_org, outsider_org, chifeng_bureau, ordos_bureau, region_bureau):
    return owner_org, outsider_org


def test_an_organiser_sees_only_its_own_organisation(owner):
    assert visible(owner) == {"赤峰市继续教育基地"}


def test_a_league_reviewer_sees_its_league_and_counties_but_not_another_league(reviewer):
    assert visible(reviewer) == {"赤峰市继续教育基地", "赤峰市人社局"}


def test_the_region_reviewer_sees_every_league(region_reviewer):
    assert {"赤峰市继续教育基地", "鄂尔多斯市继续教育基地"} <= visible(region_reviewer)


def test_a_professional_and_an_inactive_user_see_nothing(professional, reviewer):
    assert visible(professional) == set()
    reviewer.is_active = False
    assert visible(reviewer) == set()


def test_authority_follows_the_tree(reviewer, reviewer_other_league, owner_org, inspector):
    assert is_authority_over(reviewer, owner_org)
    assert not is_authority_over(reviewer_other_league, owner_org)
    assert is_authority_over(inspector, owner_org)

"""The staff-account list: search, filters by role and status, pages; an authority sees its subtree only."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:staff_list")


def test_it_pages_every_account_and_cuts_none_off(client, reviewer, owner_org):
    for n in range(60):
        UserFactory(username=f"org{n:02d}", role=Role.ORGANISER, organisation=owner_org)
    client.force_login(reviewer)
    first = client.get(URL).content.decode()
    assert "共 60 条" in first and "第 1/2 页" in first
    assert "org59" in client.get(URL, {"page": 2}).content.decode()


def test_it_searches_and_filters_by_role_and_status(client, reviewer, owner, owner_org, inspector):
    UserFactory(username="gone", role=Role.ORGANISER, organisation=owner_org, is_active=False)
    client.force_login(reviewer)
    by_name = client.get(URL, {"q": "gone"}).content.decode()
    assert "共 1 条" in by_name and "已停用" in by_name
    organisers = client.get(URL, {"role": Role.ORGANISER, "active": "yes"}).content.decode()
    assert owner.username in organisers and "gone" not in organisers


def test_another_leagues_authority_sees_none_of_them(client, reviewer_other_league, owner):
    client.force_login(reviewer_other_league)
    assert "共 0 条" in client.get(URL, {"q": owner.username}).content.decode()

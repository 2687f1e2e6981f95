import pytest
from django.urls import reverse

from accounts.models import Role
from ledger import selectors
from ledger.models import Person
from ledger.services import amendment_approve, amendment_request
from tests.factories import UserFactory
from tests.ledger.support import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(plan, professional):
    person = Person.objects.get(id_number=id_number(1))
    Person.objects.filter(pk=person.pk).update(user=professional)
    return person


def test_hours_by_year_sums_credits_and_reversals_by_subject_and_source(me, entry, owner, reviewer):
    amendment_approve(request=amendment_request(entry=entry, actor=owner, new_hours=20, reason="更正"),
                      actor=reviewer)
    (year,) = selectors.hours_by_year(me)
    assert year["year"] == entry.year and year["total"] == 20
    assert year["subjects"] == [("专业科目", 20)] and year["sources"] == [("继续教育培训", 20)]


def test_a_professional_sees_own_hours_masked(client, me, professional, plan):
    client.force_login(professional)
    body = client.get(reverse("ledger:my_hours")).content.decode()
    assert plan.title in body and str(plan.authority) in body
    assert "24" in body
    assert id_number(1) not in body and "150404********" in body


def test_a_professional_sees_only_own_hours(client, me, plan):
    other = UserFactory(username="other_prof", role=Role.PROFESSIONAL, organisation=None)
    client.force_login(other)
    body = client.get(reverse("ledger:my_hours")).content.decode()
    assert plan.title not in body and "尚未关联" in body


@pytest.mark.parametrize("who", ["owner", "reviewer", "outsider"])
def test_my_hours_is_for_professionals_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("ledger:my_hours")).status_code == 403


def test_the_reversal_is_shown(client, me, entry, owner, reviewer, professional):
    amendment_approve(request=amendment_request(entry=entry, actor=owner, new_hours=0, reason="未参加"),
                      actor=reviewer)
    client.force_login(professional)
    body = client.get(reverse("ledger:my_hours")).content.decode()
    assert "冲销" in body and "-24" in body


def test_entries_visible_to_scopes_by_role(me, plan, professional, owner, reviewer, outsider, reviewer_other_league):
    assert selectors.entries_visible_to(professional).count() == 1
    assert selectors.entries_visible_to(owner).count() == 3
    assert selectors.entries_visible_to(reviewer).count() == 3
    assert selectors.entries_visible_to(outsider).count() == 0
    assert selectors.entries_visible_to(reviewer_other_league).count() == 0

"""Who may see, download, issue and revoke audit cards: owner, reviewer of the node, outsiders."""

import pytest
import time_machine
from django.urls import reverse

from rules.cards import card_issue
from rules.models import AuditCard
from tests.rules.test_card_support import full_years, make_person, professional_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def review_day():
    with time_machine.travel("2026-09-01 10:00 +0800"):
        yield


@pytest.fixture
def owner_prof():
    return professional_user("owner_prof")


@pytest.fixture
def person(owner_prof, chifeng_bureau):
    person = make_person(name="巴特尔", user=owner_prof)
    full_years(person, chifeng_bureau, 2024, 2025, 2026)
    return person


@pytest.fixture
def card(person, owner_prof):
    return card_issue(person=person, year=2026, scope="title", actor=owner_prof)


def test_the_professional_issues_and_downloads_its_own_card(client, owner_prof, person):
    client.force_login(owner_prof)
    response = client.post(reverse("rules:my_card_issue"), {"year": "2026", "scope": "title"})
    card = AuditCard.objects.get(person=person)
    assert response.url == reverse("rules:card_detail", args=[card.code])
    assert card.issued_by == owner_prof and card.years == [2024, 2025, 2026]
    pdf = client.get(reverse("rules:card_pdf", args=[card.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("rules:card_detail", args=[card.code])).status_code == 200


def test_a_future_year_is_refused(client, owner_prof, person):
    client.force_login(owner_prof)
    client.post(reverse("rules:my_card_issue"), {"year": "2027", "scope": "year"})
    assert not AuditCard.objects.exists()


def test_an_outsider_professional_gets_404(client, card):
    client.force_login(professional_user("someone_else"))
    assert client.get(reverse("rules:card_detail", args=[card.code])).status_code == 404
    assert client.get(reverse("rules:card_pdf", args=[card.code])).status_code == 404


def test_the_reviewer_of_the_node_issues_and_revokes(client, reviewer, person):
    client.force_login(reviewer)
    client.post(reverse("rules:card_issue", args=[person.pk]), {"year": "2026", "scope": "year"})
    card = AuditCard.objects.get(person=person)
    assert card.snapshot["authority"] == "赤峰市人社局"
    client.post(reverse("rules:card_revoke", args=[card.code]))
    card.refresh_from_db()
    assert card.revoked_at is not None


def test_a_reviewer_of_another_league_cannot_reach_the_person_or_card(client, reviewer_other_league, person, card):
    client.force_login(reviewer_other_league)
    assert client.post(reverse("rules:card_issue", args=[person.pk]), {"year": "2026"}).status_code == 404
    assert client.get(reverse("rules:card_detail", args=[card.code])).status_code == 404
    assert client.post(reverse("rules:card_revoke", args=[card.code])).status_code == 404


def test_a_professional_cannot_issue_for_others_or_revoke(client, owner_prof, person, card):
    client.force_login(owner_prof)
    assert client.post(reverse("rules:card_issue", args=[person.pk]), {"year": "2026"}).status_code == 403
    assert client.post(reverse("rules:card_revoke", args=[card.code])).status_code == 403

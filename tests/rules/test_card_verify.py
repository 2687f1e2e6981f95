"""Public verification page /verify/<code>/: valid, forged, revoked, and hours reversed since."""

import datetime as dt

import pytest
from django.urls import reverse

from ledger.models import HourEntry
from rules.cards import CardStatus, card_issue, card_revoke, card_status
from tests.rules.test_card_support import credit, full_years, make_person, reverse_credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(chifeng_bureau):
    person = make_person(name="巴特尔")
    full_years(person, chifeng_bureau, 2024, 2025, 2026)
    return person


@pytest.fixture
def card(person, reviewer):
    return card_issue(person=person, year=2026, scope="title", actor=reviewer, today=dt.date(2026, 9, 1))


def verify(client, code):
    return client.get(reverse("card_verify", args=[code]))


def test_a_valid_card_shows_its_facts_masked_without_sign_in(client, card, person):
    response = verify(client, card.code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "真实有效" in page
    assert "巴**" in page and "巴特尔" not in page
    assert person.id_number[:6] + "********" + person.id_number[-4:] in page and person.id_number not in page
    assert "公需科目 30 学时，专业科目 60 学时" in page


def test_an_unknown_code_is_called_not_genuine(client, card):
    response = verify(client, "AAAAAAAAAAAAAAAA")
    assert response.status_code == 404
    assert "不是真实有效的审验卡" in response.content.decode()


def test_a_revoked_card_says_so(client, card, reviewer):
    card_revoke(card=card, actor=reviewer)
    page = verify(client, card.code).content.decode()
    assert "已于" in page and "作废" in page and "真实有效" not in page


def test_a_card_whose_hours_were_reversed_no_longer_holds(client, card, person):
    entry = HourEntry.objects.filter(person=person, year=2025, subject="professional").get()
    reverse_credit(entry)
    credit(person, 2025, "professional", 60, entry.authority)  # corrected back: the card still shows reversed hours
    assert card_status(card) == CardStatus.SUPERSEDED
    page = verify(client, card.code).content.decode()
    assert "不再成立" in page and "真实有效" not in page


def test_hours_added_later_leave_the_card_valid(card, person, chifeng_bureau):
    credit(person, 2026, "professional", 8, chifeng_bureau)
    assert card_status(card) == CardStatus.VALID


def test_a_card_issued_after_a_reversal_is_valid(person, reviewer):
    reverse_credit(HourEntry.objects.filter(person=person, year=2024, subject="public").get())
    card = card_issue(person=person, year=2026, scope="title", actor=reviewer, today=dt.date(2026, 9, 1))
    assert card_status(card) == CardStatus.VALID
    assert card.snapshot["verdict"]["eligible"] is False

"""The audit card as PDF (WeasyPrint) and as a print page: real CJK glyphs, the note, the QR code."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from rules.cards import card_html, card_issue, card_pdf, qr_data_uri
from tests.rules.test_card_support import full_years, make_person

pytestmark = pytest.mark.django_db
URL = "https://jxjy.example.cn/verify/ABCDEFGHIJKLMNOP/"


@pytest.fixture
def card(chifeng_bureau, reviewer):
    person = make_person(name="巴特尔")
    full_years(person, chifeng_bureau, 2024, 2025, 2026)
    return card_issue(person=person, year=2026, scope="title", actor=reviewer, today=dt.date(2026, 9, 1))


def test_the_pdf_text_holds_the_title_the_name_and_the_note(card):
    reader = PdfReader(io.BytesIO(card_pdf(card, URL)))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = "".join(text.split())
    assert "继续教育审验卡" in compact
    assert "巴特尔" in compact
    assert "本审验卡只用于申报评审职称，不作他用" in compact
    assert card.code in compact


def test_the_print_page_shows_years_verdict_and_qr(card):
    html = card_html(card, URL)
    for year in ("2024年", "2025年", "2026年"):
        assert year in html
    assert "继续教育学时符合要求" in html
    assert "赤峰市人社局" in html  # the issuing reviewer's authority
    assert 'src="data:image/svg+xml;base64,' in html
    assert card.person.id_number not in html


def test_the_qr_code_is_an_svg():
    import base64
    svg = base64.b64decode(qr_data_uri(URL).split(",", 1)[1])
    assert svg.lstrip().startswith(b"<?xml") or b"<svg" in svg[:200]


def test_codes_are_16_characters_of_base32_and_distinct(card, chifeng_bureau, reviewer):
    other = card_issue(person=card.person, year=2026, scope="year", actor=reviewer, today=dt.date(2026, 9, 1))
    assert len(card.code) == 16 and card.code.isalnum() and card.code.isupper()
    assert other.code != card.code
    assert other.years == [2026] and card.years == [2024, 2025, 2026]

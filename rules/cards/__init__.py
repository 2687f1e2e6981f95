"""继续教育审验卡: issue, verify and render audit cards; explain ledger verdicts."""

from rules.cards.render import card_html, card_pdf, qr_data_uri
from rules.cards.services import (
    CardError,
    CardStatus,
    card_issue,
    card_revoke,
    card_status,
    cards_visible_to,
    new_code,
)

__all__ = [
    "CardError", "CardStatus", "card_html", "card_issue", "card_pdf", "card_revoke", "card_status",
    "cards_visible_to", "new_code", "qr_data_uri",
]

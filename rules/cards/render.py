"""The audit card as HTML (print view) and PDF (WeasyPrint), with a QR code to its verification page."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone

from rules.cards.services import card_status
from rules.models import AuditCard

CARD_NOTE = "本审验卡只用于申报评审职称，不作他用"


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data URI: it works alike in the browser and in WeasyPrint."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def card_context(card: AuditCard, verify_url: str) -> dict:
    snapshot = card.snapshot
    tallies = snapshot["verdict"].get("tallies", {})
    years = [{"year": int(y), **facts, "tally": tallies.get(y)} for y, facts in sorted(snapshot["years"].items())]
    return {
        "card": card, "s": snapshot, "years": years, "verdict": snapshot["verdict"], "note": CARD_NOTE,
        "verify_url": verify_url, "qr": qr_data_uri(verify_url), "status": card_status(card),
        "issued_on": timezone.localtime(card.issued_at).date(),
    }


def card_html(card: AuditCard, verify_url: str, *, request=None, for_print: bool = True) -> str:
    context = {**card_context(card, verify_url), "for_print": for_print}
    return render_to_string("rules/card_document.html", context, request=request)


def card_pdf(card: AuditCard, verify_url: str) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    return HTML(string=card_html(card, verify_url, for_print=False)).write_pdf()

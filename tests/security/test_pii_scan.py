"""Personal data: every page and export each role may read shows no full ID number or phone of the world.

Exceptions are only those the policy names in `full_pii`, with a reason; for those the download
must leave an audit row (export or unmask) by that user.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import AuditEvent
from tests.security.policy import ANONYMOUS, POLICY
from tests.security.urls import named_patterns, url_of
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PATTERNS = named_patterns()
# User uploads (the report attachments) are the organiser's own documents, returned as stored.
NOT_SCANNED = {"reports:attachment_download"}
CASES = [(name, role) for name, rule in sorted(POLICY.items()) for role in ROLES
         if role in rule.read and name not in NOT_SCANNED]


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
                         for cell in row if cell.value is not None)
    if "pdf" in kind:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", errors="replace")


def test_the_scan_covers_pages_exports_and_every_role():
    names = {name for name, _ in CASES}
    assert {"roster:roster_detail", "certification:plan_certification", "ledger:batch_download",
            "filings:plan_filing_form_xlsx", "rules:card_pdf", "spotchecks:public_snapshot"} <= names
    assert {role for _, role in CASES} == set(ROLES)


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=["|".join(case) for case in CASES])
def test_no_full_id_number_or_phone(client, world, url_name, role):
    rule = POLICY[url_name]
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    started = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url_of(url_name, PATTERNS[url_name], world))
    assert response.status_code in (200, 302), f"{role} cannot read {url_name}: {response.status_code}"
    text = text_of(response)
    numbers = world.id_numbers()
    shown_ids = {m.upper() for m in ID_NUMBER.findall(text)} & numbers
    shown_phones = {phone for phone in world.phones() if phone in text}
    if role in rule.full_pii:
        logged = AuditEvent.objects.filter(pk__gt=started, actor=world.users[role],
                                           kind__in=[AuditEvent.Kind.EXPORT, AuditEvent.Kind.UNMASK])
        if response.status_code == 200:
            assert shown_ids, f"{url_name} is marked as full for {role} but shows none: the mark is stale"
        if shown_ids or shown_phones:
            assert logged.exists(), f"{role} saw full personal data on {url_name} without an audit row"
        return
    assert not shown_ids, f"{role} sees full ID numbers on {url_name}: {sorted(shown_ids)}"
    assert not shown_phones, f"{role} sees full phone numbers on {url_name}: {sorted(shown_phones)}"

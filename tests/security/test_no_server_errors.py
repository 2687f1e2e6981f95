"""No 5xx for any input: every POST endpoint, as a permitted user, gets malformed values and must answer < 500.

Generated from the URL configuration like the permission matrix: for each named URL that some role may
POST to, the roles that may change something (else the first writer) post wrong types, huge numbers,
empty values, unicode and NUL characters, over-long text, repeated keys, missing fields and junk files,
in every field name a template of the project or the page itself offers. Each post is rolled back, so
every variant meets the same world.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from tests.security.policy import ANONYMOUS, POLICY, rule_for
from tests.security.urls import named_patterns, url_of

pytestmark = pytest.mark.django_db

PATTERNS = named_patterns()
NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([\w\-\[\]]+)["']""", re.IGNORECASE)
FILE_FIELDS = {"file"}


def template_field_names() -> set[str]:
    names = set()
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        names |= set(NAME.findall(path.read_text(encoding="utf-8")))
    return names - {"csrfmiddlewaretoken"}


TEMPLATE_FIELDS = template_field_names()
VALUES = {
    "empty": "",
    "wrong_type": "abc",
    "huge_number": "9" * 40,
    "negative": "-1",
    "float": "1e308",
    "bad_date": "2026-13-45",
    "unicode": "𠮷\u202e<script>alert(1)</script>　\u200b",
    "nul": "a\x00b",
    "long_text": "长" * 20000,
}


def writers(url_name: str) -> list[str]:
    rule = rule_for(url_name)
    roles = sorted(rule.changers - {ANONYMOUS}) or sorted(rule.write - {ANONYMOUS}) or sorted(rule.write)
    return roles[:2]


CASES = [(name, role) for name in sorted(PATTERNS) if not name.startswith("admin:") and name in POLICY
         for role in writers(name)]


def payloads(fields: set[str]):
    yield "missing", {}
    for label, value in VALUES.items():
        data = {name: value for name in fields}
        data.update({name: SimpleUploadedFile(f"{label}.xlsx", value.encode("utf-8", "replace"))
                     for name in fields & FILE_FIELDS})
        yield label, data
    yield "repeated", {name: ["1", "2"] for name in fields - FILE_FIELDS}


def test_there_are_post_endpoints_to_check():
    names = {name for name, _ in CASES}
    assert {"certification:certify", "notifications:mark_read", "spotchecks:evidence_upload", "login",
            "rules:eligibility_batch", "ledger:amendment_request"} <= names


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=["|".join(case) for case in CASES])
def test_no_input_gives_a_server_error(world, url_name, role):
    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    url = url_of(url_name, PATTERNS[url_name], world)
    page = client.get(url)
    body = b"".join(page.streaming_content) if page.streaming else page.content
    fields = TEMPLATE_FIELDS | set(NAME.findall(body.decode("utf-8", "replace")))
    failures = []
    for label, data in payloads(fields):
        with transaction.atomic():
            response = client.post(url, data)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(f"{label} → {response.status_code}")
    assert not failures, f"{role} POST {url}: {failures}"


def test_a_nul_character_is_refused_before_any_view(client, world):
    client.force_login(world.users["reviewer"])
    url = url_of("certification:report_return", PATTERNS["certification:report_return"], world)
    response = client.post(url, {"reason": "退回\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert client.get(url_of("home", PATTERNS["home"], world) + "?q=%00").status_code == 400

"""Every page each role reaches reads like a finished Chinese product, whatever language the browser asks.

No internal codes (rule-set codes, review kind/level codes), no Django placeholders ("---------"), and
no English phrases in the visible text of a page served to an English browser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.security.policy import ANONYMOUS, POLICY
from tests.security.urls import named_patterns, url_of
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

PATTERNS = named_patterns()
CASES = [
    pytest.param(name, role, id=f"{name}|{role}")
    for name, rule in sorted(POLICY.items()) for role in ROLES
    if role in rule.read and not name.startswith("admin:")
]
# Roles outside the permission matrix: every page that answers them is read (a page they may not see
# answers 403 or redirects, and is skipped).
OTHER_ROLES = ("title_office", "employer_hr", "administrator")
CASES += [
    pytest.param(name, role, id=f"{name}|{role}")
    for name in sorted(POLICY) for role in OTHER_ROLES if not name.startswith("admin:")
]
ADMIN_PAGES = ["index", *sorted({m._meta.app_label for m in admin.site._registry})] + [
    f"{m._meta.app_label}.{m._meta.model_name}.{page}"
    for m in sorted(admin.site._registry, key=lambda m: m._meta.label) for page in ("changelist", "change")
]

INTERNAL = [
    re.compile(r"\b(?:nmg|xlgl|ssq|eeds)-\d{4}\b"),  # rule-set codes
    re.compile(r"\b(?:title_review|post_appointment|recognition|annual_appraisal|commendation)\b"),
    re.compile(r"\b(?:grade_10_up|grade_11_down|intermediate|senior|junior)\b"),
    re.compile(r"-{9}"),
    re.compile(r"Django ?(?:管理|administration|site admin)", re.IGNORECASE),
    # App labels and viewflow's own words, single English words the phrase check below lets through.
    re.compile(r"\b(?:Ledger|Workflow|Viewflow|Filings|Reviews|Accounts|Rules|Jurisdiction|Notifications|Axes)\b",
               re.IGNORECASE),
    re.compile(r"\b(?:Process list|Task list|Done|New|Canceled|Cancelled|Error|Unassigned|Assigned)\b"),
    re.compile(r"\b(?:True|False|None)\b"),
]
# Two or more English words in a row; acronyms and file types alone are not phrases.
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,.'-]+[A-Za-z]{2,})+\b")
ALLOWED_PHRASES = {"Microsoft Authenticator", "Google Authenticator"}
# A file's own name (an organiser's upload) is shown as it was given.
FILE_NAME = re.compile(r"[\w.-]+\.(?:pdf|xlsx|xls|docx?|jpe?g|png|zip)\b", re.IGNORECASE)


SKIPPED = ("script", "style", "code", "pre")


class VisibleText(HTMLParser):
    """The text a person reads as prose: no scripts, styles or attributes, and no code (<code>, <pre>)."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def assert_reads_as_chinese(response, url_name: str, role: str) -> None:
    if response.status_code != 200 or response.streaming or "text/html" not in response.get("Content-Type", ""):
        return
    text = visible_text(response.content.decode())
    found = [f"{m.group(0)} in «{text[max(m.start() - 20, 0):m.end() + 20]}»".replace("\n", " ")
             for pattern in INTERNAL for m in pattern.finditer(text)]
    assert not found, f"{url_name} as {role} shows internal codes: {found[:5]}"
    prose = FILE_NAME.sub("", text)
    phrases = [m.group(0) for m in ENGLISH_PHRASE.finditer(prose) if m.group(0) not in ALLOWED_PHRASES]
    assert not phrases, f"{url_name} as {role} mixes in English: {phrases[:5]}"


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_pages_read_as_finished_chinese(client, world, url_name, role):
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    response = client.get(url_of(url_name, PATTERNS[url_name], world), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert_reads_as_chinese(response, url_name, role)


def admin_url(page: str) -> str | None:
    if page == "index":
        return reverse("admin:index")
    if "." not in page:
        return reverse("admin:app_list", kwargs={"app_label": page})
    app_label, model_name, view = page.split(".")
    if view == "changelist":
        return reverse(f"admin:{app_label}_{model_name}_changelist")
    model = next(m for m in admin.site._registry if m._meta.label_lower == f"{app_label}.{model_name}")
    obj = model._default_manager.order_by("pk").first()
    return obj and reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_the_admin_reads_as_finished_chinese(client, world, page):
    url = admin_url(page)
    if url is None:
        pytest.skip(f"no {page.split('.')[1]} in the fixture world")
    client.force_login(world.users["administrator"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", follow=True)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    assert_reads_as_chinese(response, page, "administrator")


def test_the_admin_sign_in_page_reads_as_finished_chinese(client, world):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "管理后台" in response.content.decode()
    assert_reads_as_chinese(response, "admin:login", ANONYMOUS)

"""Security headers on every page, and templates that a strict content security policy does not break."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from config.security import RELAXED_POLICY, STRICT_POLICY, SecurityHeadersMiddleware, inline_handler_hash

pytestmark = pytest.mark.django_db

EXPECTED_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")
# Print pages that still carry an inline <style> and onclick="window.print()" (see CSP_INLINE_PRINT_VIEWS).
KNOWN_INLINE_TEMPLATES = {"filings/excel/plan_filing_form.html", "rules/card_document.html"}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)


def assert_security_headers(response):
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_the_login_page_carries_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_signed_in_page_carries_them_too(client, owner):
    client.force_login(owner)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_refusal_and_a_redirect_carry_them(client, professional):
    assert_security_headers(client.get(reverse("home")))
    client.force_login(professional)
    refused = client.get(reverse("filings:plan_list"))
    assert refused.status_code == 403
    assert_security_headers(refused)


def test_only_the_listed_print_views_get_the_narrow_exceptions():
    def header_for(path, view_name):
        request = RequestFactory().get(path)
        request.resolver_match = resolve(path) if view_name is None else type("M", (), {"view_name": view_name})()
        return SecurityHeadersMiddleware(lambda r: HttpResponse())(request)["Content-Security-Policy"]

    assert header_for("/", "rules:card_detail") == RELAXED_POLICY
    assert header_for("/", "filings:plan_filing_form_print") == RELAXED_POLICY
    assert header_for(reverse("login"), None) == STRICT_POLICY
    assert "style-src 'self' 'unsafe-inline'" in RELAXED_POLICY
    assert "script-src 'self' 'unsafe-hashes' " + inline_handler_hash("window.print()") in RELAXED_POLICY
    assert "unsafe-inline" not in RELAXED_POLICY.split("script-src")[1].split(";")[0]


def test_the_print_handler_hash_is_the_one_browsers_compute():
    # Value computed independently: printf 'window.print()' | openssl dgst -sha256 -binary | base64
    assert inline_handler_hash("window.print()") == "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"


def test_no_other_template_relies_on_inline_script_or_style():
    """A strict CSP blocks inline <script>, <style>, style="…" and on…= handlers: use static files."""
    offenders = []
    for root in [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + sorted(Path(settings.BASE_DIR).glob("*/templates")):
        for path in root.rglob("*.html"):
            name = path.relative_to(root).as_posix()
            if name not in KNOWN_INLINE_TEMPLATES and INLINE.search(path.read_text(encoding="utf-8")):
                offenders.append(name)
    assert offenders == []

"""Response headers that tell the browser what this site may do: CSP, referrer, permissions, opener.

Django's SecurityMiddleware already sends nosniff, HSTS (in production), Referrer-Policy and
Cross-Origin-Opener-Policy from settings; this middleware adds the content security policy and the
permissions policy, and sets the other two only where nothing earlier has.
"""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.http import HttpResponseBadRequest

CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # QR codes are data: URIs
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=()")


def inline_handler_hash(source: str) -> str:
    """A CSP source allowing exactly one inline event handler, e.g. onclick="window.print()"."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode("ascii") + "'"


# Print pages whose templates still carry a <style> block and onclick="window.print()". Their owners
# should move both to static files; until then only these views get the two narrow exceptions.
PRINT_PAGE_EXCEPTIONS = {
    "style-src": ["'unsafe-inline'"],
    "script-src": ["'unsafe-hashes'", inline_handler_hash("window.print()")],
}


def content_security_policy(*, relaxed: bool = False) -> str:
    directives = {name: list(sources) for name, sources in CONTENT_SECURITY_POLICY.items()}
    if relaxed:
        for name, extra in PRINT_PAGE_EXCEPTIONS.items():
            directives[name] += extra
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


STRICT_POLICY = content_security_policy()
RELAXED_POLICY = content_security_policy(relaxed=True)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        relaxed = match is not None and match.view_name in getattr(settings, "CSP_INLINE_PRINT_VIEWS", ())
        response.headers.setdefault("Content-Security-Policy", RELAXED_POLICY if relaxed else STRICT_POLICY)
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY or "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy",
                                    settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or "same-origin")
        return response


class RejectNulCharactersMiddleware:
    """A NUL character in a query string or form value is refused with 400 before any view sees it.

    No honest form carries one, Django's forms already refuse them, and PostgreSQL cannot store them in
    text (a raw `request.POST.get` reaching the database would otherwise answer 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        if any("\x00" in key or any("\x00" in value for value in found) for key, found in values):
            return HttpResponseBadRequest("请求中含有不允许的字符（NUL）。".encode(), content_type="text/plain; charset=utf-8")
        return self.get_response(request)

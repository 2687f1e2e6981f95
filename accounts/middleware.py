from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.second_factor import PENDING_KEY, SETUP_KEY


class AuditRefusalsMiddleware:
    """Every refused request (403) leaves an audit row with who, where and when."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            audit_record(kind=AuditEvent.Kind.REFUSED, actor=getattr(request, "user", None), request=request,
                         target=request.path, method=request.method)
        return response


class SecondFactorMiddleware:
    """A session that passed the password but not yet the code reaches only the code page and sign-out;
    one that must set up a second factor first (SECOND_FACTOR_REQUIRED) reaches only the setup page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if request.session.get(PENDING_KEY):
                return self._only(request, "second_factor_verify") or self.get_response(request)
            if request.session.get(SETUP_KEY):
                return self._only(request, "second_factor_setup") or self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def _only(request, url_name: str):
        target = reverse(url_name)
        if request.path in {target, reverse("logout")}:
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{target}?{query}" if query else target)

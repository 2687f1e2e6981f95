from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.second_factor import PENDING_KEY


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
    """A session that passed the password but not yet the code reaches only the code page and sign-out."""

    OPEN_URL_NAMES = ("second_factor_verify", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(PENDING_KEY) and request.user.is_authenticated:
            verify = reverse("second_factor_verify")
            if request.path not in {reverse(name) for name in self.OPEN_URL_NAMES}:
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(f"{verify}?{query}" if query else verify)
        return self.get_response(request)

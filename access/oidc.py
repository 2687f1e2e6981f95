"""Government single sign-on (政务服务统一身份认证) by OpenID Connect, with mozilla-django-oidc.

Off unless OIDC_ENABLED (then the backend joins AUTHENTICATION_BACKENDS and the two URLs answer).
On top of the library's checks (signature by the provider's published keys, nonce, state):
- the ID token must be for us (`aud` is our client id), from the configured issuer, unexpired;
- the account is found by the ID-number claim (OIDC_ID_NUMBER_CLAIM), never by name or email: an
  account registered with that number, or the account already linked to the ledger person with it;
- no account is created: an unknown number is refused (and audited), and the user is told to register.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from rules.idnumber import normalise_id_number, parse_normalised_id_number

logger = logging.getLogger(__name__)


def id_number_from(claims: dict) -> str | None:
    raw = claims.get(getattr(settings, "OIDC_ID_NUMBER_CLAIM", "id_number"))
    if not raw:
        return None
    number = normalise_id_number(str(raw))
    try:
        parse_normalised_id_number(number)
    except ValueError:
        return None
    return number


class IdNumberOIDCBackend(OIDCAuthenticationBackend):
    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with an unexpected algorithm.")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "") or None
        try:
            return jwt.decode(payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID,
                              issuer=issuer, options={"require": ["exp", "iat", "aud", "iss", "sub"]})
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from None

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint when one is configured."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject.")
            claims.update(info)
        return claims

    def verify_claims(self, claims):
        return id_number_from(claims) is not None

    def filter_users_by_claims(self, claims):
        number = id_number_from(claims)
        if number is None:
            return User.objects.none()
        return User.objects.filter(Q(identity__id_number=number) | Q(person__id_number=number),
                                   is_active=True).distinct()

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            audit_record(kind=AuditEvent.Kind.SIGN_IN_FAILED, request=self.request, target="oidc",
                         method="oidc", reason="no_account_for_id_number")
        return user

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as exc:
            logger.warning("single sign-on refused: %s", exc)
            audit_record(kind=AuditEvent.Kind.SIGN_IN_FAILED, request=request, target="oidc", method="oidc",
                         reason=str(exc)[:200])
            return None


def _disabled(request):
    """Off: a visitor is sent to the ordinary sign-in page; a signed-in user has no business here."""
    if getattr(settings, "OIDC_ENABLED", False):
        return None
    if request.user.is_authenticated:
        raise Http404("未启用统一身份认证登录。")
    return redirect_to_login(request.get_full_path())


def oidc_init(request):
    return _disabled(request) or OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request):
    return _disabled(request) or OIDCAuthenticationCallbackView.as_view()(request)

"""Government single sign-on against a fake OpenID provider (real HTTP on 127.0.0.1, real RS256 signatures)."""

from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from access.models import AccountIdentity
from accounts.models import AuditEvent, Role, User
from ledger.models import Person
from tests.access.fake_oidc import FakeProvider
from tests.factories import UserFactory
from tests.ledger.support import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    with FakeProvider() as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                            "access.oidc.IdNumberOIDCBackend"]
        yield fake


@pytest.fixture
def registered(db):
    user = UserFactory(username=id_number(1), role=Role.PROFESSIONAL, organisation=None, display_name="巴特尔")
    AccountIdentity.objects.create(user=user, id_number=id_number(1))
    return user


def sign_in(client, provider, **claims):
    start = client.get(reverse("accounts:oidc_init"))
    assert start.status_code == 302 and start.url.startswith(f"{provider.url}/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlparse(start.url).query).items()}
    assert query["client_id"] == provider.client_id and query["redirect_uri"].endswith(reverse("accounts:oidc_callback"))
    code = provider.grant(nonce=query["nonce"], **claims)
    return client.get(reverse("accounts:oidc_callback"), {"code": code, "state": query["state"]})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_valid_id_token_signs_in_the_account_with_that_id_number(client, provider, registered):
    response = sign_in(client, provider, id_number=id_number(1))
    assert response.status_code == 302 and response.url == reverse("home")
    assert signed_in_as(client) == str(registered.pk)
    assert provider.token_requests[-1]["grant_type"] == "authorization_code"
    assert AuditEvent.objects.filter(kind="sign_in", actor=registered).exists()


def test_the_account_linked_to_the_ledger_person_is_found_too(client, provider):
    user = UserFactory(role=Role.PROFESSIONAL, organisation=None)
    Person.objects.create(id_number=id_number(2), name="乌兰", sex="F", birth_date="1980-01-01", user=user)
    sign_in(client, provider, id_number=id_number(2).lower())
    assert signed_in_as(client) == str(user.pk)


def test_a_token_for_another_audience_is_refused(client, provider, registered):
    response = sign_in(client, provider, id_number=id_number(1), audience="another-portal")
    assert response.status_code == 302 and "sso=failed" in response.url
    assert signed_in_as(client) is None
    refusal = AuditEvent.objects.get(kind="sign_in_failed", detail__method="oidc")
    assert "aud" in refusal.detail["reason"].lower() or "audience" in refusal.detail["reason"].lower()


def test_an_unknown_id_number_is_refused_and_no_account_is_made(client, provider, registered):
    users = User.objects.count()
    response = sign_in(client, provider, id_number=id_number(3), name="巴特尔")  # same name as `registered`
    assert "sso=failed" in response.url and signed_in_as(client) is None
    assert User.objects.count() == users
    assert AuditEvent.objects.filter(kind="sign_in_failed", detail__reason="no_account_for_id_number").exists()
    assert "统一身份认证登录未成功" in client.get(response.url).content.decode()


def test_a_token_signed_with_another_key_is_refused(client, provider, registered):
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sign_in(client, provider, id_number=id_number(1))
    assert "sso=failed" in response.url and signed_in_as(client) is None


def test_a_missing_or_invalid_id_number_claim_is_refused(client, provider, registered):
    assert "sso=failed" in sign_in(client, provider).url
    broken = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    assert "sso=failed" in sign_in(client, provider, id_number=broken).url
    assert signed_in_as(client) is None


def test_a_deactivated_account_cannot_sign_in(client, provider, registered):
    User.objects.filter(pk=registered.pk).update(is_active=False)
    assert "sso=failed" in sign_in(client, provider, id_number=id_number(1)).url


def test_single_sign_on_is_off_by_default(client, settings, professional):
    settings.OIDC_ENABLED = False
    start = client.get(reverse("accounts:oidc_init"))
    assert start.status_code == 302 and start.url.startswith(reverse("login"))
    back = client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"})
    assert back.status_code == 302 and back.url.startswith(reverse("login"))
    client.force_login(professional)
    assert client.get(reverse("accounts:oidc_init")).status_code == 404
    client.logout()
    assert "统一身份认证" not in client.get(reverse("login")).content.decode()


def test_the_sign_in_page_offers_single_sign_on_when_enabled(client, provider):
    assert reverse("accounts:oidc_init") in client.get(reverse("login")).content.decode()

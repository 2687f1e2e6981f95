"""两步验证 (django-otp): reviewers, inspectors and administrators add an authenticator code after the password."""

import datetime as dt

import pyotp
import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent, EncryptedTOTPDevice, Role
from accounts.second_factor import PENDING_KEY, SETUP_KEY, CodeResult, totp_device_confirm, totp_device_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin1", role=Role.ADMIN, organisation=None)


def code_now(device: EncryptedTOTPDevice) -> str:
    return pyotp.TOTP(device.secret).now()


def enable(user, clock) -> EncryptedTOTPDevice:
    """Set up a device, then move on a minute so the confirming code is in the past."""
    device = totp_device_start(user=user)
    assert totp_device_confirm(user=user, code=code_now(device)) is CodeResult.ACCEPTED
    clock.shift(60)
    device.refresh_from_db()
    return device


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def verify(client, code, next_url=""):
    return client.post(reverse("second_factor_verify"), {"code": code, "next": next_url})


def failures(user) -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED, actor=user).count()


# --- setting up -------------------------------------------------------------------------------------------

def test_it_shows_a_qr_code_and_the_secret_then_enables_with_a_right_code(client, reviewer, clock):
    client.force_login(reviewer)
    page = client.get(reverse("second_factor_setup")).content.decode()
    device = EncryptedTOTPDevice.objects.get(user=reviewer)
    assert "data:image/svg+xml;base64," in page and device.secret in page
    response = client.post(reverse("second_factor_setup"), {"code": code_now(device)})
    assert response.status_code == 200 and "备用验证码" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_ON, actor=reviewer).exists()
    assert device.secret not in client.get(reverse("second_factor_setup")).content.decode()


def test_setup_refuses_a_wrong_code_and_logs_it(client, administrator, clock):
    client.force_login(administrator)
    client.get(reverse("second_factor_setup"))
    response = client.post(reverse("second_factor_setup"), {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert not EncryptedTOTPDevice.objects.get(user=administrator).confirmed
    assert failures(administrator) == 1


def test_reloading_setup_keeps_the_secret_already_scanned(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("second_factor_setup"))
    first = EncryptedTOTPDevice.objects.get(user=reviewer).secret
    client.get(reverse("second_factor_setup"))
    assert EncryptedTOTPDevice.objects.get(user=reviewer).secret == first


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.PROFESSIONAL, Role.TITLE_OFFICE, Role.EMPLOYER_HR])
def test_other_roles_neither_see_the_link_nor_may_set_it_up(client, owner_org, role):
    organisation = None if role == Role.PROFESSIONAL else owner_org
    user = UserFactory(role=role, organisation=organisation)
    client.force_login(user)
    assert reverse("second_factor_setup") not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("second_factor_setup")).status_code == 403
    assert client.post(reverse("second_factor_setup"), {"code": "123456"}).status_code == 403
    assert not EncryptedTOTPDevice.objects.filter(user=user).exists()


def test_reviewers_inspectors_and_administrators_see_the_link(client, reviewer, inspector, administrator):
    for user in (reviewer, inspector, administrator):
        client.force_login(user)
        assert reverse("second_factor_setup") in client.get(reverse("home")).content.decode()


# --- signing in -------------------------------------------------------------------------------------------

def test_after_the_password_it_asks_for_the_code_then_lets_the_user_in(client, reviewer, clock):
    device = enable(reviewer, clock)
    sign_in(client, reviewer)
    assert client.session[PENDING_KEY] is True
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home.url.startswith(reverse("second_factor_verify"))
    response = verify(client, code_now(device), next_url=reverse("home"))
    assert response.status_code == 302 and response.url == reverse("home")
    assert PENDING_KEY not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_a_user_without_a_device_is_not_asked(client, reviewer):
    sign_in(client, reviewer)
    assert PENDING_KEY not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_and_audit_logged(client, reviewer, clock):
    enable(reviewer, clock)
    sign_in(client, reviewer)
    response = verify(client, "123456")
    assert "验证码不正确" in response.content.decode()
    assert client.session[PENDING_KEY] is True
    assert failures(reviewer) == 1
    assert client.get(reverse("home")).status_code == 302


def test_a_code_already_used_is_refused(client, reviewer, clock):
    device = enable(reviewer, clock)
    code = code_now(device)
    sign_in(client, reviewer)
    assert verify(client, code).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, reviewer)
    response = verify(client, code)
    assert "验证码不正确或已使用过" in response.content.decode()
    assert client.session[PENDING_KEY] is True


def test_the_confirming_code_cannot_be_used_to_sign_in(client, reviewer, clock):
    device = totp_device_start(user=reviewer)
    code = code_now(device)
    totp_device_confirm(user=reviewer, code=code)
    sign_in(client, reviewer)
    assert verify(client, code).status_code == 200
    assert client.session[PENDING_KEY] is True


def test_a_code_from_the_previous_half_minute_is_still_accepted(client, reviewer, clock):
    device = enable(reviewer, clock)
    code = code_now(device)
    clock.shift(30)
    sign_in(client, reviewer)
    assert verify(client, code).status_code == 302


def test_five_wrong_codes_lock_the_code_page_even_for_the_right_code(client, reviewer, clock):
    device = enable(reviewer, clock)
    sign_in(client, reviewer)
    for _ in range(5):
        verify(client, "000000")
    clock.shift(60)
    response = verify(client, code_now(device))
    assert "错误次数过多" in response.content.decode()
    assert client.session[PENDING_KEY] is True
    clock.shift(15 * 60)
    assert verify(client, code_now(device)).status_code == 302


@pytest.mark.parametrize("url_name", ["home", "filings:plan_list", "password_change", "second_factor_setup",
                                      "admin:index", "notifications:inbox"])
def test_while_the_code_is_pending_every_other_page_leads_to_the_code_page(client, administrator, clock,
                                                                         url_name):
    enable(administrator, clock)
    sign_in(client, administrator)
    for response in (client.get(reverse(url_name)), client.post(reverse(url_name), {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("second_factor_verify"))


def test_while_pending_the_page_shows_no_navigation_and_sign_out_works(client, reviewer, clock):
    enable(reviewer, clock)
    sign_in(client, reviewer)
    page = client.get(reverse("second_factor_verify")).content.decode()
    assert 'class="mainnav"' not in page
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_the_admin_login_also_ends_pending(client, clock):
    staff = UserFactory(username="staff_admin", role=Role.ADMIN, organisation=None, is_staff=True)
    enable(staff, clock)
    client.post(reverse("admin:login"), {"username": "staff_admin", "password": PASSWORD})
    assert client.session[PENDING_KEY] is True
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_outside_next_address_is_not_followed(client, reviewer, clock):
    device = enable(reviewer, clock)
    sign_in(client, reviewer)
    response = verify(client, code_now(device), next_url="https://evil.example/")
    assert response.url == reverse("home")


# --- django-otp: keys encrypted at rest, backup codes, required by a setting ------------------------------

def test_the_key_is_stored_only_encrypted(reviewer, clock, settings):
    from django.db import connection

    device = enable(reviewer, clock)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_encryptedtotpdevice")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert device.secret not in stored and device.bin_key.hex() not in stored
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured

    settings.OTP_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        _ = EncryptedTOTPDevice.objects.get(pk=device.pk).bin_key


def test_a_key_encrypted_with_an_older_key_still_works_after_rotation(reviewer, clock, settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.OTP_ENCRYPTION_KEYS = [old]
    device = enable(reviewer, clock)
    secret = device.secret
    settings.OTP_ENCRYPTION_KEYS = [new, old]
    assert EncryptedTOTPDevice.objects.get(pk=device.pk).secret == secret


def test_a_backup_code_signs_in_once(client, reviewer, clock):
    from accounts.second_factor import backup_codes_issue

    enable(reviewer, clock)
    codes = backup_codes_issue(user=reviewer)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in(client, reviewer)
    assert verify(client, codes[0].upper()).status_code == 302
    assert PENDING_KEY not in client.session
    client.post(reverse("logout"))
    sign_in(client, reviewer)
    assert verify(client, codes[0]).status_code == 200
    assert client.session[PENDING_KEY] is True


def test_a_verified_session_is_known_to_django_otp(client, reviewer, clock):
    device = enable(reviewer, clock)
    sign_in(client, reviewer)
    verify(client, code_now(device))
    from django_otp import DEVICE_ID_SESSION_KEY

    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


@pytest.mark.parametrize("who", ["reviewer", "inspector", "administrator"])
def test_when_required_the_roles_must_set_it_up_before_anything_else(client, settings, request, who, clock):
    settings.SECOND_FACTOR_REQUIRED = True
    user = request.getfixturevalue(who)
    sign_in(client, user)
    assert client.session[SETUP_KEY] is True
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_setup"))
    page = client.get(reverse("second_factor_setup")).content.decode()
    assert "必须启用两步验证" in page
    device = EncryptedTOTPDevice.objects.get(user=user)
    client.post(reverse("second_factor_setup"), {"code": code_now(device)})
    assert SETUP_KEY not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_when_required_other_roles_are_not_asked(client, settings, owner):
    settings.SECOND_FACTOR_REQUIRED = True
    sign_in(client, owner)
    assert SETUP_KEY not in client.session and PENDING_KEY not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_it_is_required_in_production_and_optional_on_the_demo():
    import os
    import subprocess
    import sys

    from django.conf import settings as live

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 60,
           "DATABASE_URL": "sqlite:///:memory:", "ALLOWED_HOSTS": "example.cn", "SITE_URL": "https://example.cn",
           "OTP_ENCRYPTION_KEYS": "u8H0sL1c2c6S1hR0pH3dFh3J9bK9xwqk3b7o8kzT3fE="}
    env.pop("SECOND_FACTOR_REQUIRED", None)
    code = "from config.settings import production as p, base as b; print(p.SECOND_FACTOR_REQUIRED, b.SECOND_FACTOR_REQUIRED)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
    assert live.SECOND_FACTOR_REQUIRED is False

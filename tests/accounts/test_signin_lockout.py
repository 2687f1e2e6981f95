"""Findings 1 and 6: every sign-in path shares one lockout (django-axes), keyed on name and client address."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import AuditEvent, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def administrator(db):
    return UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


def sign_in(client, path, username, password, **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


LOGIN, ADMIN = reverse("login"), reverse("admin:login")


def test_a_name_locked_on_our_login_page_is_locked_on_the_admins_too(client, administrator):
    for _ in range(5):
        sign_in(client, LOGIN, "root", "wrong")
    response = sign_in(client, ADMIN, "root", PASSWORD)
    assert not signed_in(client) and response.status_code == 429


def test_the_admin_login_takes_five_guesses_then_refuses_the_right_password(client, administrator):
    for _ in range(5):
        sign_in(client, ADMIN, "root", "wrong")
    response = sign_in(client, ADMIN, "root", PASSWORD)
    assert not signed_in(client) and "暂时锁定" in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED, username="root").count() >= 5


def test_failures_from_one_address_do_not_lock_the_name_out_elsewhere(client, reviewer):
    for _ in range(5):
        sign_in(client, LOGIN, reviewer.username, "wrong", REMOTE_ADDR="198.51.100.7")
    sign_in(client, LOGIN, reviewer.username, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert not signed_in(client)
    sign_in(client, LOGIN, reviewer.username, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert signed_in(client)


def test_a_different_spelling_of_the_name_counts_as_the_same_name(client, reviewer):
    for spelling in ("Reviewer", " reviewer", "REVIEWER", "reviewer ", "ReViewer"):
        sign_in(client, LOGIN, spelling, "wrong")
    sign_in(client, LOGIN, reviewer.username, PASSWORD)
    assert not signed_in(client)


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(client, settings, reviewer):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    through_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):  # the attacker forges a left-most address; the proxy appends the real one
        sign_in(client, LOGIN, reviewer.username, "wrong",
                HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", **through_proxy)
    assert set(AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).values_list("ip", flat=True)) == {
        "198.51.100.7"}
    sign_in(client, LOGIN, reviewer.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **through_proxy)
    assert not signed_in(client)
    sign_in(client, LOGIN, reviewer.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **through_proxy)
    assert signed_in(client)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, reviewer):
    for n in range(5):
        sign_in(client, LOGIN, reviewer.username, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    sign_in(client, LOGIN, reviewer.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert not signed_in(client)


def test_the_unlock_command_lifts_a_lockout(client, reviewer, capsys):
    for _ in range(5):
        sign_in(client, LOGIN, reviewer.username, "wrong")
    call_command("unlock_sign_in", "Reviewer")
    assert "已解除 reviewer" in capsys.readouterr().out
    sign_in(client, LOGIN, reviewer.username, PASSWORD)
    assert signed_in(client)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_guesses_reach_the_password_at_most_five_times(reviewer, monkeypatch):
    from django.contrib.auth.hashers import check_password as real_check
    from django.test import Client

    import accounts.models

    checked, lock = [], threading.Lock()

    def counting(self, raw_password):
        with lock:
            checked.append(raw_password)
        return real_check(raw_password, self.password)

    monkeypatch.setattr(accounts.models.User, "check_password", counting)
    barrier = threading.Barrier(20)

    def guess(n):
        try:
            barrier.wait()
            sign_in(Client(), LOGIN, reviewer.username, f"guess-{n}")
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) <= 5, checked

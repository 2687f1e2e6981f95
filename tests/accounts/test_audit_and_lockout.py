import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_sign_in_and_a_failure_are_logged(client, owner):
    attempt(client, "owner", "wrong")
    attempt(client, "owner", "pw-for-tests-1")
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", "username"))
    assert kinds == [("sign_in_failed", "owner"), ("sign_in", "owner")]


def test_five_failures_lock_the_name_out_even_with_the_right_password(client, owner):
    for _ in range(5):
        attempt(client, "owner", "wrong")
    response = attempt(client, "owner", "pw-for-tests-1")
    assert "_auth_user_id" not in client.session
    assert "暂时锁定" in response.content.decode()


def test_four_failures_do_not_lock(client, owner):
    for _ in range(4):
        attempt(client, "owner", "wrong")
    attempt(client, "owner", "pw-for-tests-1")
    assert "_auth_user_id" in client.session


def test_the_message_is_the_same_for_an_unknown_user(client, owner):
    unknown = attempt(client, "nobody", "x").content.decode()
    known = attempt(client, "owner", "x").content.decode()
    assert "用户名或密码不正确" in unknown and "用户名或密码不正确" in known


def test_a_refused_request_is_logged(client, professional):
    client.force_login(professional)
    assert client.get(reverse("filings:plan_list")).status_code == 403
    event = AuditEvent.objects.get(kind="refused")
    assert (event.actor, event.target) == (professional, reverse("filings:plan_list"))


def test_the_application_cannot_alter_the_log(owner):
    event = AuditEvent.objects.create(kind="export", actor=owner, username="owner")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.postgres
def test_the_database_refuses_updates_and_early_deletes(owner):
    AuditEvent.objects.create(kind="export", actor=owner, username="owner")
    for sql in ("UPDATE accounts_auditevent SET username = 'x'", "DELETE FROM accounts_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(username="owner").count() == 1

"""Chinese only: a browser that asks for English still gets every message in Chinese."""

from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory


def test_an_english_browser_gets_djangos_own_password_messages_in_chinese(client, db):
    user = UserFactory(role=Role.PROFESSIONAL, organisation=None)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests-1", "new_password1": "12345", "new_password2": "12345"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This password is too short" not in body
    assert "密码太短" in body
    assert response.headers["Content-Language"] == "zh-hans"

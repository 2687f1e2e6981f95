"""Password reset by SMS code or email link: works for the holder, tells nobody whether an account exists."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from access.models import AccountIdentity, PhoneCode
from accounts.models import AuditEvent, Role
from tests.access.sms_outbox import codes_sent_to
from tests.factories import UserFactory
from tests.ledger.support import id_number

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
NEW = "Steppe-Horse-77"


@pytest.fixture
def holder(db):
    user = UserFactory(username=id_number(1), role=Role.PROFESSIONAL, organisation=None, phone="13911112222",
                       email="holder@example.cn")
    AccountIdentity.objects.create(user=user, id_number=id_number(1))
    return user


def ask(client, identifier, channel="sms", ip="10.0.0.1"):
    client.cookies.clear()
    return client.post(reverse("accounts:password_reset"), {"identifier": identifier, "channel": channel},
                       REMOTE_ADDR=ip, follow=True)


def body(response) -> bytes:
    return CSRF.sub(b"", response.content)


def test_the_holder_resets_by_sms_code(client, holder):
    response = ask(client, id_number(1))
    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_code")
    [code] = codes_sent_to("13911112222")
    done = client.post(reverse("accounts:password_reset_code"), {"code": code, "password1": NEW, "password2": NEW})
    assert done.status_code == 302 and done.url == reverse("login")
    holder.refresh_from_db()
    assert holder.check_password(NEW)
    assert AuditEvent.objects.filter(kind="password_reset", actor=holder, detail__channel="sms").exists()
    again = client.post(reverse("accounts:password_reset_code"), {"code": code, "password1": NEW, "password2": NEW})
    assert again.status_code == 302 and again.url == reverse("accounts:password_reset")


def test_a_wrong_reset_code_changes_nothing(client, holder):
    ask(client, id_number(1))
    [code] = codes_sent_to("13911112222")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(reverse("accounts:password_reset_code"), {"code": wrong, "password1": NEW, "password2": NEW})
    assert "验证码不正确" in response.content.decode()
    holder.refresh_from_db()
    assert holder.check_password("pw-for-tests-1") and PhoneCode.objects.get().attempts == 1


def test_the_holder_resets_by_email_link(client, holder):
    ask(client, holder.username, channel="email")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["holder@example.cn"]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200 and "设置新密码" in page.content.decode()
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_done")
    holder.refresh_from_db()
    assert holder.check_password(NEW)
    assert AuditEvent.objects.filter(kind="password_reset", actor=holder, detail__channel="email").exists()
    reused = client.get("/" + path, follow=True)
    assert "链接无效或已过期" in reused.content.decode()


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, holder, channel, sms_outbox):
    known = ask(client, id_number(1), channel, ip="10.0.0.1")
    unknown = ask(client, id_number(2), channel, ip="10.0.0.2")
    nobody = ask(client, "no-such-user", channel, ip="10.0.0.3")
    assert known.status_code == unknown.status_code == nobody.status_code == 200
    assert [u for u, _ in known.redirect_chain] == [u for u, _ in unknown.redirect_chain]
    assert body(known) == body(unknown) == body(nobody)
    # only the holder got something, and a row was made for every request
    assert PhoneCode.objects.filter(purpose="reset").count() == 3
    assert len(sms_outbox) + len(mail.outbox) == 1


def test_a_code_guessed_for_a_missing_account_is_wrong_like_any_other(client, holder):
    ask(client, id_number(2))
    for guess in ("000000", "123456"):
        response = client.post(reverse("accounts:password_reset_code"),
                               {"code": guess, "password1": NEW, "password2": NEW})
        assert "验证码不正确" in response.content.decode()


def test_the_time_taken_is_about_the_same(client, holder):
    """Loosely: asking for an unknown identifier is neither much faster nor much slower than for a known
    one (each identifier asked once, so no answer is the rate limit's; the fastest of five each)."""
    holders = [holder]
    for n in range(2, 6):
        user = UserFactory(username=id_number(n), role=Role.PROFESSIONAL, organisation=None, phone=f"1391111222{n}")
        AccountIdentity.objects.create(user=user, id_number=id_number(n))
        holders.append(user)

    def timed(identifier, ip):
        started = time.perf_counter()
        response = ask(client, identifier, ip=ip)
        elapsed = time.perf_counter() - started
        assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_code")
        return elapsed

    timed(id_number(40), "10.1.0.1")  # warm up templates and caches
    known = min(timed(u.username, f"10.2.0.{n}") for n, u in enumerate(holders))
    unknown = min(timed(id_number(20 + n), f"10.3.0.{n}") for n in range(5))
    assert unknown > known / 4 and unknown < known * 4, (known, unknown)
    assert PhoneCode.objects.filter(purpose="reset").count() == 11


def test_reset_requests_are_limited_per_identifier_and_address(client, holder, settings):
    first = ask(client, id_number(1), ip="10.0.0.1")
    assert first.redirect_chain[-1][0] == reverse("accounts:password_reset_code")
    second = ask(client, id_number(1), ip="10.0.0.2")
    assert "发送过于频繁" in second.content.decode()
    settings.ACCOUNTS_SENDS_PER_IP_PER_HOUR = 2
    ask(client, id_number(7), ip="10.5.5.5")
    ask(client, id_number(8), ip="10.5.5.5")
    third = ask(client, id_number(9), ip="10.5.5.5")
    assert "次数已达上限" in third.content.decode()
    assert PhoneCode.objects.count() == 3

"""Self-registration by SMS code: happy path, wrong/expired/reused codes, limits, duplicates, check digit."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from access import registration
from access.codes import CodeResult, RateLimited
from access.models import AccountIdentity, PersonLinkRequest, PhoneCode
from accounts.models import AuditEvent, Role, User
from ledger.models import Person
from tests.access.sms_outbox import MemorySmsProvider, codes_sent_to
from tests.factories import UserFactory
from tests.ledger.support import certified_plan, id_number

pytestmark = pytest.mark.django_db

ROSTER_PHONE = "13800000000"  # the 联系电话 tests/ledger/support.add_roster gives every trainee
PASSWORD = "Grassland-2026!"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def start(client, *, number=None, name="学员1", phone=ROSTER_PHONE, ip="10.0.0.1"):
    return client.post(reverse("accounts:register"), {"id_number": number or id_number(1), "name": name,
                                                       "phone": phone}, REMOTE_ADDR=ip)


def finish(client, code, password=PASSWORD):
    return client.post(reverse("accounts:register_confirm"), {"code": code, "password1": password,
                                                               "password2": password})


def test_it_registers_a_professional_and_links_the_ledger_person_when_the_phone_matches(client, owner, reviewer):
    certified_plan(owner, reviewer)
    response = start(client)
    assert response.status_code == 302 and response.url == reverse("accounts:register_confirm")
    [code] = codes_sent_to(ROSTER_PHONE)
    assert MemorySmsProvider.sent[0]["template"] == "verification"
    assert set(MemorySmsProvider.sent[0]["params"]) == {"code", "minutes"}
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64

    response = finish(client, code)
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(username=id_number(1))
    assert user.role == Role.PROFESSIONAL and user.display_name == "学员1" and user.phone == ROSTER_PHONE
    assert user.check_password(PASSWORD) and AccountIdentity.objects.get(user=user).id_number == id_number(1)
    assert Person.objects.get(id_number=id_number(1)).user == user
    assert int(client.session["_auth_user_id"]) == user.pk
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds.index("sms_code_sent") < kinds.index("registration") < kinds.index("account_link")
    hours = client.get(reverse("ledger:my_hours"))
    assert hours.status_code == 200 and "24" in hours.content.decode()


def test_it_refuses_a_wrong_code_and_counts_the_try(client):
    start(client)
    [code] = codes_sent_to(ROSTER_PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = finish(client, wrong)
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not User.objects.exists() and PhoneCode.objects.get().attempts == 1


def test_it_refuses_an_expired_code(client):
    start(client)
    [code] = codes_sent_to(ROSTER_PHONE)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        response = finish(client, code)
    assert "验证码已失效" in response.content.decode() and not User.objects.exists()


def test_a_code_within_its_ten_minutes_still_works(client):
    start(client)
    [code] = codes_sent_to(ROSTER_PHONE)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=9)):
        assert finish(client, code).status_code == 302
    assert User.objects.filter(username=id_number(1)).exists()


def test_it_refuses_a_reused_code():
    row = registration.registration_start(id_number=id_number(1), name="学员1", phone=ROSTER_PHONE, ip="10.0.0.1")
    [code] = codes_sent_to(ROSTER_PHONE)
    first, user = registration.registration_complete(pk=row.pk, code=code, password=PASSWORD)
    second, again = registration.registration_complete(pk=row.pk, code=code, password=PASSWORD)
    assert first is CodeResult.ACCEPTED and user is not None
    assert second is CodeResult.EXPIRED and again is None and User.objects.count() == 1


def test_a_code_dies_after_five_wrong_tries(settings):
    row = registration.registration_start(id_number=id_number(1), name="学员1", phone=ROSTER_PHONE, ip="10.0.0.1")
    [code] = codes_sent_to(ROSTER_PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    results = [registration.registration_complete(pk=row.pk, code=wrong, password=PASSWORD)[0] for _ in range(5)]
    assert results == [CodeResult.WRONG] * 5
    assert registration.registration_complete(pk=row.pk, code=code, password=PASSWORD)[0] is CodeResult.EXPIRED
    assert not User.objects.exists()


def test_it_limits_codes_per_number(client):
    assert start(client).status_code == 302
    again = start(client, ip="10.0.0.2")
    assert again.status_code == 200 and "发送过于频繁" in again.content.decode()
    for minute in range(1, 5):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=2 * minute)):
            assert start(client, ip=f"10.0.1.{minute}").status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=12)):
        sixth = start(client, ip="10.0.2.1")
    assert sixth.status_code == 200 and "次数已达上限" in sixth.content.decode()
    assert len(codes_sent_to(ROSTER_PHONE)) == 5


def test_it_limits_codes_per_client_address(client, settings):
    settings.ACCOUNTS_SENDS_PER_IP_PER_HOUR = 3
    answers = [start(client, number=id_number(n), phone=f"1390000000{n}").status_code for n in range(1, 5)]
    assert answers == [302, 302, 302, 200]
    assert len(MemorySmsProvider.sent) == 3
    assert start(client, number=id_number(5), phone="13900000005", ip="10.9.9.9").status_code == 302


def test_a_second_registration_for_a_number_gets_the_same_answer_and_no_account(client, sms_outbox):
    holder = UserFactory(username=id_number(1), role=Role.PROFESSIONAL, organisation=None, phone="13911112222")
    AccountIdentity.objects.create(user=holder, id_number=id_number(1))
    fresh = start(client, number=id_number(2), phone="13933334444")
    fresh_page = client.get(reverse("accounts:register_confirm")).content
    client.cookies.clear()
    taken = start(client, number=id_number(1), phone="13933335555")
    taken_page = client.get(reverse("accounts:register_confirm")).content
    assert (fresh.status_code, fresh.url) == (taken.status_code, taken.url)
    assert CSRF.sub(b"", fresh_page).replace(b"139****4444", b"") == CSRF.sub(b"", taken_page).replace(
        b"139****5555", b"")
    # the registrant got no code; the holder was told how to recover the account
    assert codes_sent_to("13933335555") == []
    told = [m for m in sms_outbox if m["phone"] == "13911112222"]
    assert len(told) == 1 and told[0]["template"] == "account_exists"
    for guess in ("000000", "123456"):
        assert "验证码不正确" in finish(client, guess).content.decode()
    assert AccountIdentity.objects.filter(id_number=id_number(1)).get().user == holder
    assert User.objects.filter(username=id_number(1)).count() == 1


def test_the_holder_is_told_at_most_once_an_hour(client, sms_outbox):
    holder = UserFactory(username=id_number(1), role=Role.PROFESSIONAL, organisation=None, phone="13911112222")
    AccountIdentity.objects.create(user=holder, id_number=id_number(1))
    answers = [start(client, number=id_number(1), phone=f"1393333000{n}", ip=f"10.0.0.{n}").status_code
               for n in range(3)]
    assert answers == [302, 302, 302]
    assert len([m for m in sms_outbox if m["phone"] == "13911112222"]) == 1


def test_it_refuses_an_id_number_that_fails_the_check_digit(client):
    number = id_number(1)
    broken = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = start(client, number=broken)
    assert response.status_code == 200 and "校验码不符" in response.content.decode()
    assert MemorySmsProvider.sent == [] and not PhoneCode.objects.exists()


def test_it_refuses_a_landline_and_an_empty_name(client):
    body = start(client, phone="0476-8888888").content.decode()
    assert "11位大陆手机号码" in body
    assert "请填写身份证上的姓名" in start(client, name="1").content.decode()
    assert not PhoneCode.objects.exists()


def test_the_demo_page_says_the_code_goes_to_the_log(client, settings, caplog):
    settings.SMS_PROVIDER = "notifications.sms.LoggingSmsProvider"
    assert "写入服务器日志" in client.get(reverse("accounts:register")).content.decode()
    with caplog.at_level("INFO", logger="notifications.sms"):
        start(client)
    assert re.search(r"SMS to 13800000000 .*验证码为\d{6}", caplog.text)
    settings.SMS_PROVIDER = "tests.access.sms_outbox.MemorySmsProvider"
    assert "写入服务器日志" not in client.get(reverse("accounts:register")).content.decode()


# --- the link to the ledger when the phone does not match ------------------------------------------


def _register(number, phone, name="学员1"):
    row = registration.registration_start(id_number=number, name=name, phone=phone, ip="10.0.0.1")
    return registration.registration_complete(pk=row.pk, code=codes_sent_to(phone)[-1], password=PASSWORD)[1]


def test_another_phone_gets_a_pending_link_that_the_certifying_reviewer_confirms(owner, reviewer,
                                                                                  reviewer_other_league):
    certified_plan(owner, reviewer)
    user = _register(id_number(1), "13955556666")
    person = Person.objects.get(id_number=id_number(1))
    assert person.user is None
    link = PersonLinkRequest.objects.get(user=user, person=person, status="pending")
    assert AuditEvent.objects.filter(kind="account_link", actor=user, detail__basis="requested").exists()
    with pytest.raises(PermissionDenied):
        registration.link_request_decide(link_request=link, actor=reviewer_other_league, confirm=True)
    with pytest.raises(PermissionDenied):
        registration.link_request_decide(link_request=link, actor=owner, confirm=True)
    registration.link_request_decide(link_request=link, actor=reviewer, confirm=True)
    person.refresh_from_db()
    link.refresh_from_db()
    assert person.user == user and link.status == "confirmed" and link.decided_by == reviewer
    assert AuditEvent.objects.filter(kind="account_link", actor=reviewer, target=f"person:{person.pk}").exists()


def test_the_employer_hr_confirms_through_the_page(client, owner, reviewer, owner_org):
    certified_plan(owner, reviewer)
    employer = owner_org.__class__.objects.create(name="松山区医院", kind="employer", division=owner_org.division)
    Person.objects.filter(id_number=id_number(1)).update(employer_organisation=employer)
    hr = UserFactory(role=Role.EMPLOYER_HR, organisation=employer)
    user = _register(id_number(1), "13955556666")
    link = PersonLinkRequest.objects.get(user=user)
    client.force_login(hr)
    page = client.get(reverse("accounts:link_requests")).content.decode()
    assert "学员1" in page and id_number(1) not in page and "13955556666" not in page
    assert "学员1" not in client.get(reverse("accounts:link_requests"), {"q": "学员2"}).content.decode()
    client.post(reverse("accounts:link_decide", args=[link.pk, "confirm"]))
    assert Person.objects.get(id_number=id_number(1)).user == user


def test_an_outsider_cannot_see_or_decide_a_link_request(client, owner, reviewer, outsider, reviewer_other_league):
    certified_plan(owner, reviewer)
    user = _register(id_number(1), "13955556666")
    link = PersonLinkRequest.objects.get(user=user)
    client.force_login(reviewer_other_league)
    assert "学员1" not in client.get(reverse("accounts:link_requests")).content.decode()
    assert client.post(reverse("accounts:link_decide", args=[link.pk, "confirm"])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("accounts:link_requests")).status_code == 403
    assert Person.objects.get(id_number=id_number(1)).user is None


def test_hours_certified_after_registration_are_linked_at_the_next_sign_in(client, owner, reviewer):
    user = _register(id_number(1), ROSTER_PHONE)
    assert not Person.objects.filter(user=user).exists()
    certified_plan(owner, reviewer)
    client.post(reverse("login"), {"username": id_number(1), "password": PASSWORD})
    assert Person.objects.get(id_number=id_number(1)).user == user


def test_a_person_already_linked_to_another_account_is_not_taken_over(owner, reviewer):
    certified_plan(owner, reviewer)
    other = UserFactory(role=Role.PROFESSIONAL, organisation=None)
    Person.objects.filter(id_number=id_number(1)).update(user=other)
    user = _register(id_number(1), ROSTER_PHONE)
    assert Person.objects.get(id_number=id_number(1)).user == other
    assert PersonLinkRequest.objects.filter(user=user, status="pending").exists()


def test_limits_raise_in_the_service_too():
    registration.registration_start(id_number=id_number(1), name="学员1", phone=ROSTER_PHONE, ip="10.0.0.1")
    with pytest.raises(RateLimited):
        registration.registration_start(id_number=id_number(1), name="学员1", phone=ROSTER_PHONE, ip="10.0.0.1")

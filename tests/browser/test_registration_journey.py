"""A professional whose hours were certified earlier registers by SMS code and sees those hours."""

import re

import pytest
from django.core.cache import cache

from accounts.models import User
from ledger.models import HourEntry, Person
from tests.access.sms_outbox import MemorySmsProvider, codes_sent_to
from tests.ledger.support import certified_plan, id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROSTER_PHONE = "13800000000"
PASSWORD = "Grassland-2026!"


def test_a_professional_registers_and_sees_the_hours_certified_earlier(browser_page, owner, reviewer, settings,
                                                                       tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SMS_PROVIDER = "tests.access.sms_outbox.DemoMemorySmsProvider"
    MemorySmsProvider.sent = []
    cache.clear()
    plan = certified_plan(owner, reviewer)
    person = Person.objects.get(id_number=id_number(1))
    assert person.user is None and HourEntry.objects.filter(person=person, hours=24).exists()
    page = browser_page

    page.goto(f"{page.base}/accounts/login/")
    page.click("text=专业技术人员注册")
    page.wait_for_selector("#demo-sms")  # the embedded provider only logs: the page says so
    page.fill("#id_id_number", id_number(1))
    page.fill("#id_name", "学员1")
    page.fill("#id_phone", ROSTER_PHONE)
    page.shot("registration-form")
    page.click("button:has-text('获取验证码')")
    page.wait_for_selector("text=输入短信验证码")
    assert "138****0000" in page.content()
    [code] = codes_sent_to(ROSTER_PHONE)
    page.fill("#id_code", code)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.shot("code-and-password")
    page.click("button:has-text('完成注册')")
    page.wait_for_selector("text=注册成功")
    assert "已找到您的学时记录" in page.content()
    page.shot("registered")

    page.click("nav >> text=我的学时")
    page.wait_for_selector("text=合计 24 学时")
    content = page.content()
    assert plan.title in content and id_number(1) not in content
    page.shot("my-hours")

    # and the password works for the next sign-in, with the ID number as the user name
    page.click("text=退出")
    page.wait_for_url(re.compile(r".*/accounts/(logout|login)/.*"))
    page.goto(f"{page.base}/accounts/login/")
    page.fill("#id_username", id_number(1))
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
    assert Person.objects.get(pk=person.pk).user == User.objects.get(username=id_number(1))

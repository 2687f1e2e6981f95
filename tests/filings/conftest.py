import datetime as dt

import pytest
from django.utils import timezone

from filings import services

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def plan_data(**overrides):
    start = overrides.pop("starts_at", NOW + dt.timedelta(days=30))
    data = {
        "title": "卫生专业技术人员新技术培训班", "subject": "professional", "mode": "face_to_face",
        "starts_at": start, "ends_at": start + dt.timedelta(days=2, hours=8), "place": "赤峰市红山区",
        "content": "新技术专题", "trainee_scope": "卫生系统专业技术人员", "planned_headcount": 100,
        "hours": 24, "fee": 0, "contact_person": "王晓燕", "contact_phone": "0476-8466847", "credit_year": None,
    }
    data.update(overrides)
    return data


TEACHERS = [{"name": "高文博", "title": "教授", "employer": "内蒙古大学"}]


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def make_plan(owner, chifeng_bureau):
    def make(**overrides):
        return services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)

    return make


@pytest.fixture
def submitted_plan(make_plan, owner):
    plan = make_plan()
    return services.plan_submit(plan=plan, actor=owner, now=NOW)


@pytest.fixture
def frozen_now():
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield timezone.now()

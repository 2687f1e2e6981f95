"""Benchmark: one POST /api/v1/completions of 10,000 records, against their bare JSON parse and validation.

    createdb -h 127.0.0.1 -U postgres jxjy_bench
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python bench/api_completions.py

(a) bare: json.loads of the body and Pydantic validation of the request schema; (b) the whole request
through Django and the API (token, rate limit, body limit, request log, every record's checks, the
duplicate look-up, storing the batch), in-process with Django's test client. Goal: (b) < 2 s; aim:
(b) <= 5 x (a). Setup data is bench-only and left in the bench database; every run uses fresh names.
"""

import datetime as dt
import json
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from api.clients import client_create  # noqa: E402
from api.models import CompletionRecord  # noqa: E402
from api.schemas import CompletionsIn  # noqa: E402
from filings import services  # noqa: E402
from jurisdiction.models import Division, Organisation  # noqa: E402
from jurisdiction.selectors import supervising_authority  # noqa: E402
from rules.idnumber import check_character  # noqa: E402

RECORDS = 10_000
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
GOAL_SECONDS, AIM_RATIO = 2.0, 5.0


def id_number(n: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 400)
    first17 = f"150404{birth:%Y%m%d}{(n % 400) * 2 + n % 2:03d}"
    return first17 + check_character(first17)


def setup(tag: str):
    league = Division.objects.get(code="150400")
    if not Organisation.objects.filter(kind="hrss", division=league).exists():
        Organisation.objects.create(name="赤峰市人社局（基准）", kind="hrss", division=league)
    platform = Organisation.objects.create(name=f"网络培训平台（基准）-{tag}", kind="online_platform",
                                           division=Division.objects.get(code="150404"))
    owner = User.objects.create(username=f"bench-platform-{tag}", role=Role.ORGANISER, organisation=platform)
    reviewer = User.objects.create(username=f"bench-api-reviewer-{tag}", role=Role.REVIEWER,
                                   organisation=supervising_authority(platform))
    start = NOW + dt.timedelta(days=30)
    data = {"title": "2026年公需科目网络培训（基准）", "subject": "public", "mode": "online", "starts_at": start,
            "ends_at": start + dt.timedelta(days=60), "place": "网络平台", "content": "基准测试", "trainee_scope": "全体",
            "planned_headcount": RECORDS, "hours": 30, "fee": 0, "contact_person": "测试",
            "contact_phone": "0471-0000000", "credit_year": None, "platform": "nmg.chinahrt.com"}
    plan = services.plan_create(actor=owner, data=data, teachers=[], now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    plan = services.plan_decide(plan=plan, actor=reviewer, decision="approve")
    client, token, _ = client_create(organisation=platform, name=f"基准平台-{tag}", scopes=["completions"])
    client.rate_limit_per_minute = 100_000
    client.save(update_fields=["rate_limit_per_minute"])
    return plan, token


def body_for(plan) -> bytes:
    day = (plan.starts_at + dt.timedelta(days=10)).date().isoformat()
    records = [{"record_id": f"R{n:07d}", "id_number": id_number(n), "name": f"学员{n}", "subject": "public",
                "hours": 30, "completed_on": day, "exam_passed": True} for n in range(RECORDS)]
    return json.dumps({"plan": plan.filing_no, "records": records}, ensure_ascii=False).encode("utf-8")


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<56}{elapsed:>8.3f} s")
    return result, elapsed


def bare(body: bytes):
    return CompletionsIn.model_validate(json.loads(body))


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    plan, token = setup(uuid.uuid4().hex[:8])
    body = body_for(plan)
    print(f"request body: {len(body) / 1024 / 1024:.2f} MB, {RECORDS} records, plan {plan.filing_no}")
    bare(body)  # warm up Pydantic's validator
    _, parse = timed("(a) bare JSON parse + Pydantic validation", lambda: bare(body))
    client = Client(SERVER_NAME="localhost")
    warm = json.dumps({"plan": plan.filing_no, "records": [json.loads(body)["records"][0] | {"record_id": "WARM",
                                                                                            "id_number": id_number(RECORDS)}]})
    # A running server has its imports, URL resolver and query compilers warm: one small request first.
    assert client.post("/api/v1/completions", warm, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    response, full = timed("(b) POST /api/v1/completions, stored in the database", lambda: client.post(
        "/api/v1/completions", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"))
    assert response.status_code == 200, response.content[:500]
    assert response.json()["accepted"] == RECORDS
    assert CompletionRecord.objects.filter(batch__plan=plan).count() == RECORDS + 1
    print(f"ratio (b)/(a) = {full / parse:.2f}  (aim <= {AIM_RATIO:g}: {'pass' if full / parse <= AIM_RATIO else 'miss'})")
    print(f"(b) = {full:.3f} s  (goal < {GOAL_SECONDS:g} s: {'pass' if full < GOAL_SECONDS else 'miss'})")


if __name__ == "__main__":
    main()

"""Benchmark: import a 50,000-row training roster, and compare with calamine's bare parse.

    createdb -h 127.0.0.1 -U postgres jxjy_bench
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python bench/roster_import.py

Prints (a) the bare parse by calamine, (b) the full import (guard, parse, check, overlap query, store)
and their ratio. Goal: (b) <= 3 x (a) and (b) < 10 s. Setup data (organisations, users, plans) is
bench-only and left in the bench database; every run uses fresh names.
"""

import datetime as dt
import io
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
from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from filings import services  # noqa: E402
from filings.models import RosterEntry  # noqa: E402
from filings.roster.columns import COLUMNS, FIRST_DATA_ROW  # noqa: E402
from filings.roster.services import roster_import  # noqa: E402
from jurisdiction.models import Division, Organisation  # noqa: E402
from jurisdiction.selectors import supervising_authority  # noqa: E402
from rules.idnumber import check_character  # noqa: E402

ROWS = 50_000
OVERLAPPING = 2_000  # trainees also on another approved training at the same time
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def id_number(n: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 400)
    first17 = f"150404{birth:%Y%m%d}{(n % 400) * 2 + n % 2:03d}"
    return first17 + check_character(first17)


def roster_workbook(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("培训花名册")
    ws.append(["专业技术人员继续教育培训花名册"])
    ws.append(["（备案编号略）"])
    ws.append([c.header for c in COLUMNS])
    ws.append(["填写说明（本行导入时忽略）"])
    for n in range(rows):
        ws.append([n + 1, f"学员{n}", "男" if n % 2 else "女", id_number(n), f"赤峰市第{n % 50}医院", "临床医学",
                   "主治医师", "专业科目", 24, f"138{n:08d}", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cast(tag: str):
    league = Division.objects.get(code="150400")
    if not Organisation.objects.filter(kind="hrss", division=league).exists():
        Organisation.objects.create(name="赤峰市人社局（基准）", kind="hrss", division=league)
    base = Organisation.objects.create(name=f"基准测试基地-{tag}", kind="base_league",
                                       division=Division.objects.get(code="150404"))
    owner = User.objects.create(username=f"bench-owner-{tag}", role=Role.ORGANISER, organisation=base)
    authority = supervising_authority(base)
    reviewer = User.objects.create(username=f"bench-reviewer-{tag}", role=Role.REVIEWER, organisation=authority)
    return owner, reviewer


def _plan(owner, reviewer, *, title: str, end: bool):
    start = NOW + dt.timedelta(days=30)
    data = {"title": title, "subject": "professional", "mode": "online", "starts_at": start,
            "ends_at": start + dt.timedelta(days=5), "place": "网络平台", "content": "基准测试", "trainee_scope": "全体",
            "planned_headcount": ROWS, "hours": 24, "fee": 0, "contact_person": "测试", "contact_phone": "0471-0000000",
            "credit_year": None, "platform": "nmg.chinahrt.com"}
    plan = services.plan_create(actor=owner, data=data, teachers=[], now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=NOW)
    if end:
        services.plans_advance_by_clock(now=plan.ends_at)
    plan.refresh_from_db()
    return plan


def setup():
    RosterEntry.objects.filter(plan__title__in=["同期培训（基准）", "花名册导入基准"]).delete()  # earlier runs
    owner, reviewer = _cast(uuid.uuid4().hex[:8])
    other = _plan(owner, reviewer, title="同期培训（基准）", end=False)
    RosterEntry.objects.bulk_create(
        [RosterEntry(plan=other, seq=n + 1, name=f"学员{n}", sex="M", id_number=id_number(n), employer="x",
                     specialty="x", title="x", subject="professional", hours=8, phone="1") for n in range(OVERLAPPING)],
        batch_size=2000)
    return _plan(owner, reviewer, title="花名册导入基准", end=True)


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<48}{elapsed:>8.2f} s")
    return result, elapsed


def bare_parse(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    plan = setup()
    content, _ = timed(f"generate {ROWS} rows (openpyxl, not measured)", lambda: roster_workbook(ROWS))
    print(f"workbook: {len(content) / 1024 / 1024:.1f} MB, plan {plan.filing_no} ({plan.get_state_display()})")
    cells, parse = timed("(a) bare parse, calamine", lambda: bare_parse(content))
    outcome, full = timed("(b) full import (guard, parse, check, store)", lambda: roster_import(plan=plan, content=content))
    assert outcome.status == "imported", outcome.errors[:5]
    assert plan.roster.count() == ROWS and outcome.anomalies == OVERLAPPING
    _, again = timed("(b') re-import, replacing the 50,000 rows", lambda: roster_import(plan=plan, content=content))
    print(f"rows parsed: {len(cells) - FIRST_DATA_ROW + 1}; anomalies flagged: {outcome.anomalies}")
    print(f"ratio (b)/(a) = {full / parse:.2f}  (goal <= 3, and (b) < 10 s)")
    print(f"ratio (b')/(a) = {again / parse:.2f}")


if __name__ == "__main__":
    main()

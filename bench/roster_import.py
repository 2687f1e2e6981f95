"""Benchmark: import a 50,000-row and a 200,000-row training roster, and compare with calamine's bare parse.

    createdb -h 127.0.0.1 -U postgres jxjy_bench
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python bench/roster_import.py [ROWS ...]

For each size: (a) the bare parse by calamine (the best of three), (b) the full import (guard, parse, check,
overlap query, store), (b') a re-import of a corrected roster (1% of the rows changed, 1% other people), and the
ratios (b)/(a), (b')/(a). Goal: both <= 2, with PASS or MISS printed. The workbooks are made once with openpyxl
and kept in the temporary directory (making them is not measured). Setup data (organisations, users, plans) is
bench-only and left in the bench database; every run uses fresh names.
"""

import datetime as dt
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from filings import services  # noqa: E402
from filings.models import RosterEntry  # noqa: E402
from filings.roster.columns import COLUMNS  # noqa: E402
from filings.roster.services import roster_import  # noqa: E402
from jurisdiction.models import Division, Organisation  # noqa: E402
from jurisdiction.selectors import supervising_authority  # noqa: E402
from rules.idnumber import check_character  # noqa: E402

SIZES = [int(arg) for arg in sys.argv[1:]] or [50_000, 200_000]
OVERLAPPING = 2_000  # trainees also on another approved training at the same time
GOAL = 2.0
MAX_HEADCOUNT = 100_000  # a plan's own limit: a longer roster is imported once the organiser confirms it
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def id_number(n: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 400)
    first17 = f"150404{birth:%Y%m%d}{(n % 400) * 2 + n % 2:03d}"
    return first17 + check_character(first17)


def roster_workbook(rows: int, *, corrected: bool = False) -> bytes:
    """The roster; `corrected`: every 100th row has another phone number and every 100th (offset 50) is
    another person (an ID number beyond the first roster's)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("培训花名册")
    ws.append(["专业技术人员继续教育培训花名册"])
    ws.append(["（备案编号略）"])
    ws.append([c.header for c in COLUMNS])
    ws.append(["填写说明（本行导入时忽略）"])
    for n in range(rows):
        who = rows + n if corrected and n % 100 == 50 else n
        phone = f"139{n:08d}" if corrected and n % 100 == 0 else f"138{n:08d}"
        ws.append([n + 1, f"学员{who}", "男" if who % 2 else "女", id_number(who), f"赤峰市第{n % 50}医院", "临床医学",
                   "主治医师", "专业科目", 24, phone, ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def cached_workbook(rows: int, *, corrected: bool = False) -> bytes:
    path = Path(tempfile.gettempdir()) / f"jxjy-bench-roster-{rows}{'-corrected' if corrected else ''}-v2.xlsx"
    if not path.exists():
        started = time.perf_counter()
        path.write_bytes(roster_workbook(rows, corrected=corrected))
        print(f"  made {path} with openpyxl in {time.perf_counter() - started:.1f} s (not measured)")
    return path.read_bytes()


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


def _plan(owner, reviewer, *, title: str, end: bool, rows: int):
    start = NOW + dt.timedelta(days=30)
    data = {"title": title, "subject": "professional", "mode": "online", "starts_at": start,
            "ends_at": start + dt.timedelta(days=5), "place": "网络平台", "content": "基准测试", "trainee_scope": "全体",
            "planned_headcount": min(rows, MAX_HEADCOUNT), "hours": 24, "fee": 0, "contact_person": "测试",
            "contact_phone": "0471-0000000", "credit_year": None, "platform": "nmg.chinahrt.com"}
    plan = services.plan_create(actor=owner, data=data, teachers=[], now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=NOW)
    if end:
        services.plans_advance_by_clock(now=plan.ends_at)
    plan.refresh_from_db()
    return plan


def setup(rows: int):
    with connection.cursor() as cursor:  # earlier runs' rows, in one statement
        cursor.execute("DELETE FROM filings_rosterentry WHERE plan_id IN (SELECT id FROM filings_trainingplan "
                       "WHERE title IN ('同期培训（基准）', '花名册导入基准'))")
        # Autovacuum is off on the bench server: without this, every run's deleted rows stay in the table and its
        # indexes (1.8 million dead rows after a few dozen runs), and the import measures them.
        cursor.execute("VACUUM ANALYZE filings_rosterentry")
    owner, reviewer = _cast(uuid.uuid4().hex[:8])
    other = _plan(owner, reviewer, title="同期培训（基准）", end=False, rows=rows)
    RosterEntry.objects.bulk_create(
        [RosterEntry(plan=other, seq=n + 1, name=f"学员{n}", sex="M", id_number=id_number(n), employer="x",
                     specialty="x", title="x", subject="professional", hours=8, phone="1") for n in range(OVERLAPPING)],
        batch_size=2000)
    return _plan(owner, reviewer, title="花名册导入基准", end=True, rows=rows)


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"  {label:<52}{elapsed:>8.2f} s")
    return result, elapsed


def bare_parse(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def verdict(ratio: float) -> str:
    return "PASS" if ratio <= GOAL else "MISS"


def run(rows: int) -> tuple[float, float]:
    print(f"{rows:,} rows")
    plan = setup(rows)
    content, corrected = cached_workbook(rows), cached_workbook(rows, corrected=True)
    print(f"  workbook: {len(content) / 1024 / 1024:.1f} MB, plan {plan.filing_no} ({plan.get_state_display()})")
    parses = [timed(f"(a) bare parse, calamine, run {n}", lambda: bare_parse(content))[1] for n in (1, 2, 3)]
    parse = min(parses)
    outcome, full = timed("(b) full import (guard, parse, check, store)", lambda: roster_import(plan=plan, content=content, confirmed=True))
    assert outcome.status == "imported", outcome.errors[:5]
    assert plan.roster.count() == rows and outcome.anomalies == OVERLAPPING
    again_outcome, again = timed("(b') re-import of the corrected roster",
                                 lambda: roster_import(plan=plan, content=corrected, confirmed=True))
    assert again_outcome.status == "imported" and plan.roster.count() == rows
    assert plan.roster.filter(phone__startswith="139").count() == rows // 100
    print(f"  rows parsed: {rows}; anomalies flagged: {outcome.anomalies}, then {again_outcome.anomalies}")
    print(f"  ratio (b)/(a)  = {full / parse:.2f}  goal <= {GOAL}: {verdict(full / parse)}")
    print(f"  ratio (b')/(a) = {again / parse:.2f}  goal <= {GOAL}: {verdict(again / parse)}")
    return full / parse, again / parse


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    ratios = [ratio for rows in SIZES for ratio in run(rows)]
    print(f"roster import: worst ratio {max(ratios):.2f} (goal <= {GOAL}): {verdict(max(ratios))}")


if __name__ == "__main__":
    main()

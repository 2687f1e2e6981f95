"""Benchmark: certify a 50,000-trainee plan, the way the page's background task does it.

    createdb -h 127.0.0.1 -U postgres jxjy_bench
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench .venv/bin/python bench/certify.py

Setup (not measured): a plan carried to 待核定学时 with a 50,000-row roster (bulk insert) and 50
adjustments saved through the service. Measured: `certification_run_process`, the Celery task's work —
lock, validate, persons found or created, one ledger credit per trainee, roster marked, transition, audit.
Goal: < 10 s on PostgreSQL. Every run uses fresh names and fresh ID numbers.
"""

import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the task runs here, on commit of the start, as a worker would

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from filings import reports, services  # noqa: E402
from filings.models import RosterEntry  # noqa: E402
from jurisdiction.models import Division, Organisation  # noqa: E402
from jurisdiction.selectors import supervising_authority  # noqa: E402
from ledger.models import HourEntry  # noqa: E402
from reviews import certification, certification_runs  # noqa: E402
from rules.idnumber import check_character  # noqa: E402

ROWS = 50_000
ADJUSTED = 50
GOAL_SECONDS = 10.0
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def id_number(n: int, salt: int) -> str:
    """Distinct per run: the sequence code's last digit and the birth date move with the salt."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=(salt * 211 + n // 400) % 18000)
    first17 = f"150404{birth:%Y%m%d}{(n % 400) * 2 + n % 2:03d}"
    return first17 + check_character(first17)


def _cast(tag: str):
    league = Division.objects.get(code="150400")
    if not Organisation.objects.filter(kind="hrss", division=league).exists():
        Organisation.objects.create(name="赤峰市人社局（基准）", kind="hrss", division=league)
    base = Organisation.objects.create(name=f"核定基准基地-{tag}", kind="base_league",
                                       division=Division.objects.get(code="150404"))
    owner = User.objects.create(username=f"cert-owner-{tag}", role=Role.ORGANISER, organisation=base)
    reviewer = User.objects.create(username=f"cert-reviewer-{tag}", role=Role.REVIEWER,
                                   organisation=supervising_authority(base))
    return owner, reviewer


def setup():
    tag = uuid.uuid4().hex[:8]
    salt = int(tag, 16) % 997
    owner, reviewer = _cast(tag)
    start = NOW + dt.timedelta(days=30)
    data = {"title": "学时核定基准", "subject": "professional", "mode": "face_to_face", "starts_at": start,
            "ends_at": start + dt.timedelta(days=5), "place": "赤峰市会议中心", "content": "基准测试", "trainee_scope": "全体",
            "planned_headcount": ROWS, "hours": 24, "fee": 0, "contact_person": "测试", "contact_phone": "0471-0000000",
            "credit_year": None}
    plan = services.plan_create(actor=owner, data=data, now=NOW,
                                teachers=[{"name": "高文博", "title": "教授", "employer": "内蒙古大学"}])
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve")
    services.plans_advance_by_clock(now=plan.ends_at)
    plan.refresh_from_db()
    RosterEntry.objects.bulk_create(
        [RosterEntry(plan=plan, seq=n + 1, name=f"学员{n}", sex="M" if n % 2 else "F", id_number=id_number(n, salt),
                     employer="赤峰市医院", specialty="临床医学", title="主治医师", subject="professional", hours=24,
                     phone="13800000000") for n in range(ROWS)], batch_size=5000)
    for kind in reports.required_attachments(plan):
        reports.report_attachment_add(plan=plan, actor=owner, kind=kind,
                                      uploaded_file=SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf"))
    reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=1))
    plan = certification.report_accept(plan=plan, actor=reviewer)
    changes = [certification_runs.Change(seq=n * 997 % ROWS + 1, hours=20, reason="缺勤半天", where=f"第 {n} 条")
               for n in range(1, ADJUSTED + 1)]
    certification_runs.certification_adjustments_save(plan=plan, actor=reviewer, changes=changes)
    return plan, reviewer


def main() -> None:
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    plan, reviewer = setup()
    print(f"plan {plan.filing_no}: {plan.roster.count()} trainees, {plan.certification_adjustments.count()} adjusted")
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    run = certification_runs.certification_run_start(plan=plan, actor=reviewer)  # commits, then the task runs
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    run.refresh_from_db()
    print(f"task's own time (claim to finish): {run.seconds:.2f} s")
    credits = HourEntry.objects.filter(plan=plan).count()
    adjusted = HourEntry.objects.filter(plan=plan, hours=20).count()
    print(f"run {run.pk}: {run.status} {run.errors[:3]}; credits {credits}, adjusted {adjusted}")
    assert run.status == "done" and credits == ROWS and adjusted == ADJUSTED
    verdict = "PASS" if elapsed < GOAL_SECONDS else "MISS"
    print(f"certify {ROWS} trainees: {elapsed:.2f} s (goal < {GOAL_SECONDS:.0f} s) {verdict}")
    print(f"  this process's CPU: {cpu:.2f} s; machine load average at start: {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

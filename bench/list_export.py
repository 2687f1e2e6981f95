"""Benchmark: the plan list's Excel export of 100,000 plans from PostgreSQL, through the view.

    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_lists .venv/bin/python bench/list_export.py

On first use it migrates and inserts 100,000 submitted plans for one organiser (bulk, once). Each run
signs a region reviewer in and GETs /plans/?export=xlsx through Django's test client, reading the
streamed response in chunks, under tracemalloc: prints the rows, the file size, the time and the
Python heap's peak. The queryset is read with QuerySet.iterator (2,000 rows a fetch) into openpyxl's
write-only workbook on a temporary file, so the peak stays flat as rows grow.
"""

import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1/jxjy_lists")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from filings.models import PlanState, TrainingPlan  # noqa: E402
from jurisdiction.models import Division, Organisation  # noqa: E402

N = 100_000


def prepare() -> User:
    call_command("migrate", verbosity=0)
    region = Division.objects.get(code="150000")
    league = Division.objects.get(code="150400")
    bureau, _ = Organisation.objects.get_or_create(name="自治区人社厅（导出测试）", defaults={"kind": "hrss", "division": region})
    base, _ = Organisation.objects.get_or_create(name="赤峰市继续教育基地（导出测试）",
                                                 defaults={"kind": "base_league", "division": league})
    reviewer, _ = User.objects.get_or_create(username="bench_export_reviewer",
                                             defaults={"role": Role.REVIEWER, "organisation": bureau})
    organiser, _ = User.objects.get_or_create(username="bench_export_organiser",
                                              defaults={"role": Role.ORGANISER, "organisation": base})
    have = TrainingPlan.objects.filter(organiser=base).count()
    if have < N:
        print(f"inserting {N - have:,} plans (once) ...")
        start = timezone.now()
        TrainingPlan.objects.bulk_create((TrainingPlan(
            filing_no=f"EXP{i:09d}", organiser=base, authority=bureau, title=f"=专业技术人员继续教育培训班第{i}期",
            subject="professional", mode="online", starts_at=start + dt.timedelta(minutes=i),
            ends_at=start + dt.timedelta(days=1, minutes=i), place="线上", content="内容", trainee_scope="全体",
            planned_headcount=50, hours=24, contact_person="王", contact_phone="0476-0000000", credit_year=2026,
            state=PlanState.SUBMITTED, created_by=organiser, submitted_at=start) for i in range(have, N)),
            batch_size=5000)
    return reviewer


def main() -> None:
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    reviewer = prepare()
    client = Client()
    client.force_login(reviewer)
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/plans/", {"q": "EXP", "export": "xlsx"})
    size, buffer = 0, tempfile.TemporaryFile()
    for chunk in response.streaming_content:
        size += len(chunk)
        buffer.write(chunk)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    buffer.seek(0)
    ws = load_workbook(buffer, read_only=True).active
    rows = sum(1 for _ in ws.iter_rows(values_only=True)) - 1
    print(f"rows exported            {rows:>12,}")
    print(f"file size                {size / 2**20:>12.1f} MiB")
    print(f"time (query + write)     {elapsed:>12.1f} s")
    print(f"Python heap peak         {peak / 2**20:>12.1f} MiB (tracemalloc, whole request)")


if __name__ == "__main__":
    main()

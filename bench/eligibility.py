"""Benchmark: judging every person of a large ledger on PostgreSQL (prints figures; not a timed test).

    createdb -h 127.0.0.1 -U postgres jxjy_bench_elig
    DATABASE_URL=postgres://postgres@127.0.0.1/jxjy_bench_elig python bench/eligibility.py [--persons N]

Settings: config.settings.base; the script runs `migrate` first. It fills the ledger once with
N persons (default 100,000) and six credits each (2024–2026, public 30-ish and professional 60-ish
hours; 600,000 entries) plus a reversal for every 50th person's 2025 professional credit and a
PersonFlag for every 40th, all by COPY. A second run finds the rows and reuses them.

Then it times
  (a) one SQL aggregate of the ledger: hours per person, year and subject, all rows fetched;
  (b) the senior title review of 2026-09-01 for every person through rules.ledger_source
      .evaluate_people: chunks of 10,000 persons; per chunk one row of window hours per person and one
      flags query, and the full inputs of the persons with flags or special sources (every 40th here).
Goal: (b) ≤ 5 × (a) and (b) < 30 s; and (c), the same without sharing verdicts of alike persons, ≤ 3 × (a).
Each measurement is timed --runs times (every run printed) and its fastest run is compared; each ratio is
printed with PASS or MISS.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

MARK = "基准测试单位"  # employer of every benchmark person
YEARS = (2024, 2025, 2026)
REVIEW_DAY = dt.date(2026, 9, 1)


def check_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database, e.g. postgres://postgres@127.0.0.1/jxjy_bench_elig")


def id_number(n: int) -> str:
    from rules.idnumber import check_character

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n % 12_000)
    first17 = f"15{n // 1000:04d}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + check_character(first17)


def person_rows(count: int):
    for n in range(count):
        number = id_number(n)
        sex = "M" if int(number[16]) % 2 else "F"
        yield (number, f"测试{n}", sex, f"{number[6:10]}-{number[10:12]}-{number[12:14]}", MARK)


def fixtures():
    from accounts.models import Role, User
    from jurisdiction.models import Division, Organisation

    authority, _ = Organisation.objects.get_or_create(
        name="基准测试人社局", defaults={"kind": "hrss", "division": Division.objects.get(code="150000")})
    user, _ = User.objects.get_or_create(username="bench_reviewer", defaults={"role": Role.REVIEWER,
                                                                             "organisation": authority})
    return authority, user


def copy_rows(cursor, statement: str, rows) -> None:
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def entry_rows(person_ids, authority_id: int, now):
    for pid in person_ids:
        for year in YEARS:
            yield (pid, year, "public", "training", 30 + pid % 3 - 1, "credit", authority_id, "", now)
            yield (pid, year, "professional", "training", 60 + pid % 5 - 2, "credit", authority_id, "", now)


def fill(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    authority, user = fixtures()
    now = timezone.now()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        copy_rows(cursor, "COPY ledger_person (id_number, name, sex, birth_date, employer) FROM STDIN",
                  person_rows(count))
        cursor.execute("SELECT id FROM ledger_person WHERE employer = %s ORDER BY id", [MARK])
        ids = [row[0] for row in cursor.fetchall()]
        copy_rows(cursor, "COPY ledger_hourentry (person_id, year, subject, source, hours, kind, authority_id, "
                          "reason, created_at) FROM STDIN", entry_rows(ids, authority.pk, now))
        cursor.execute("""
            INSERT INTO ledger_hourentry (person_id, year, subject, source, hours, kind, reverses_id,
                                         authority_id, reason, created_at)
            SELECT person_id, year, subject, source, -hours, 'reversal', id, authority_id, '基准测试冲销', %s
            FROM ledger_hourentry
            WHERE year = 2025 AND subject = 'professional' AND kind = 'credit' AND person_id %% 50 = 0
        """, [now])
        flags = ((pid, "epidemic_frontline", 2024, "基准测试", user.pk, now) for pid in ids if pid % 40 == 0)
        copy_rows(cursor, "COPY ledger_personflag (person_id, code, year, evidence, recorded_by_id, recorded_at) "
                          "FROM STDIN", flags)
        cursor.execute("ANALYZE ledger_person; ANALYZE ledger_hourentry; ANALYZE ledger_personflag;")


def time_aggregate() -> tuple[float, int]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id, year, subject, SUM(hours) FROM ledger_hourentry "
                       "GROUP BY person_id, year, subject")
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


def time_evaluation(memo: bool = True) -> tuple[float, int, int, int]:
    from ledger.models import Person
    from rules.engine import Review
    from rules.ledger_source import evaluate_people

    review = Review(kind="title_review", level="senior", date=REVIEW_DAY)
    started = time.perf_counter()
    judged = eligible = errors = 0
    for result in evaluate_people(review=review, persons_qs=Person.objects.filter(employer=MARK), memo=memo):
        judged += 1
        eligible += bool(result.verdict and result.verdict.eligible)
        errors += result.verdict is None
    return time.perf_counter() - started, judged, eligible, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each measurement (best is used)")
    args = parser.parse_args()
    check_database()
    import django

    django.setup()
    from django.core.management import call_command

    from ledger.models import HourEntry, Person

    call_command("migrate", verbosity=0)
    if not Person.objects.filter(employer=MARK).exists():
        started = time.perf_counter()
        fill(args.persons)
        print(f"filled in {time.perf_counter() - started:.1f} s")
    persons, entries = Person.objects.filter(employer=MARK).count(), HourEntry.objects.count()
    print(f"persons: {persons:,}  ledger entries: {entries:,}")
    a = best("(a) SQL aggregate per person, year, subject", [time_aggregate() for _ in range(args.runs)])
    print(f"(a) SQL aggregate per person, year, subject: {a[0]:.3f} s ({a[1]:,} rows)")
    b = best("(b) with shared verdicts", [time_evaluation() for _ in range(args.runs)])
    print(f"(b) senior title review of every person: {b[0]:.3f} s ({b[1]:,} judged, {b[2]:,} eligible, "
          f"{b[3]:,} errors; {b[1] / b[0]:,.0f} per second)")
    c = best("(c) without shared verdicts", [time_evaluation(memo=False) for _ in range(args.runs)])
    print(f"    the same without sharing verdicts between alike persons: {c[0]:.3f} s "
          f"({c[1] / c[0]:,.0f} per second, {c[2]:,} eligible)")
    ratio = b[0] / a[0]
    verdict = "PASS" if ratio <= 5 and b[0] < 30 else "MISS"
    print(f"(b)/(a) = {ratio:.1f}  goal (b) ≤ 5×(a) and (b) < 30 s: {verdict}")
    unshared = c[0] / a[0]
    print(f"(c)/(a) = {unshared:.1f}  without sharing verdicts, goal ≤ 3×(a): {'PASS' if unshared <= 3 else 'MISS'}")


def best(label: str, runs: list[tuple]) -> tuple:
    """The fastest of the timed runs (each measurement alike), after printing every run's time."""
    print(f"    {label}, every run: {', '.join(f'{run[0]:.3f} s' for run in runs)}")
    return min(runs)

if __name__ == "__main__":
    main()

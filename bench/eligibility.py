"""Benchmark: verdicts per second for a synthetic batch (python bench/eligibility.py [N]).

Runs against an in-memory SQLite database built by the migrations, so it touches no real data.
Prints figures; it is not a timed test.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def synthetic_payload(count: int) -> dict:
    persons = []
    for n in range(count):
        records = [
            {"year": year, "subject": subject, "minutes": minutes, "source": "training"}
            for year in (2024, 2025, 2026)
            for subject, minutes in (("public", 1350 + n % 3), ("professional", 2690 + n % 20))
        ]
        flags = [{"code": "epidemic_frontline", "year": 2024}] if n % 7 == 0 else []
        persons.append({
            "key": f"B-{n:06d}", "birth_date": f"{1965 + n % 30}-0{1 + n % 9}-15", "sex": "MF"[n % 2],
            "flags": flags, "records": records,
        })
    return {"review": {"kind": "title_review", "level": "senior", "date": "2026-09-01"}, "persons": persons}


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from rules.eligibility import eligibility_check

    call_command("migrate", verbosity=0)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = synthetic_payload(count)
    started = time.perf_counter()
    answer = eligibility_check(payload=data)
    elapsed = time.perf_counter() - started
    eligible = sum(result["eligible"] for result in answer["results"])
    print(f"persons: {count}  eligible: {eligible}  seconds: {elapsed:.3f}  per second: {count / elapsed:,.0f}")


if __name__ == "__main__":
    main()

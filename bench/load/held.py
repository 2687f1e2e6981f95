"""The reminders a worker incarnation had started and not sent (run_faults.sh, worker fault).

    held.py await INCARNATION MAX_SECONDS  return as soon as it holds some (it is delivering)
    held.py snapshot INCARNATION FILE   write their ids to FILE and print how many
    held.py wait FILE MAX_SECONDS        poll until every one is sent; print the seconds it took

Exactly once is checked afterwards by `manage.py reconcile`.
"""

import sys
import time
from pathlib import Path

import django

django.setup()

from notifications.models import Reminder  # noqa: E402


def await_held(incarnation: str, max_seconds: str) -> None:
    start, limit = time.monotonic(), float(max_seconds)
    held = Reminder.objects.filter(worker=incarnation, sent_at__isnull=True)
    while not held.exists() and time.monotonic() - start < limit:
        time.sleep(0.05)


def snapshot(incarnation: str, path: str) -> None:
    ids = list(Reminder.objects.filter(worker=incarnation, sent_at__isnull=True).values_list("pk", flat=True))
    Path(path).write_text("\n".join(map(str, ids)))
    print(len(ids))


def wait(path: str, max_seconds: str) -> None:
    ids, limit = [int(x) for x in Path(path).read_text().split()], float(max_seconds)
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if not Reminder.objects.filter(pk__in=ids, sent_at__isnull=True).exists():
            print(f"{time.monotonic() - start:.1f}")
            return
        time.sleep(0.5)
    left = Reminder.objects.filter(pk__in=ids, sent_at__isnull=True).count()
    print(f"not within {limit:g} ({left} of {len(ids)} unsent)")


if __name__ == "__main__":
    {"await": await_held, "snapshot": snapshot, "wait": wait}[sys.argv[1]](sys.argv[2], *sys.argv[3:])

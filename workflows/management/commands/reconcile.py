"""Prove that nothing was lost or doubled: transitions, ledger entries, reminders, review tasks.

    manage.py reconcile        # prints one line per check; exits 1 when any check finds a problem
"""

import time

from django.core.management.base import BaseCommand, CommandError

from workflows.reconcile import reconcile


class Command(BaseCommand):
    help = "Check that no transition, ledger entry, reminder or review task was lost or doubled."

    def handle(self, *args, **options):
        started = time.monotonic()
        checks = reconcile()
        for check in checks:
            mark = "OK  " if check.ok else "FAIL"
            self.stdout.write(f"{mark} {check.name}: {check.checked} checked, {check.problems} problems")
            for example in check.examples:
                self.stdout.write(f"       {example}")
            for note in check.notes:
                self.stdout.write(f"       note: {note}")
        failed = sum(check.problems for check in checks)
        self.stdout.write(f"reconcile: {len(checks)} checks in {time.monotonic() - started:.1f} s")
        if failed:
            raise CommandError(f"{failed} problems found")

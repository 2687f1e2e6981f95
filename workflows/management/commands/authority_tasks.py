"""Open the authority tasks of objects already waiting (data from before their flows) and cancel leftovers.

    manage.py authority_tasks            # what would be opened or cancelled, per kind
    manage.py authority_tasks --repair   # do it
"""

from django.core.management.base import BaseCommand

from workflows.repair import tasks_repair


class Command(BaseCommand):
    help = "Open missing authority tasks (every kind) and cancel those left over; --repair to write."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="open and cancel (without it: only report)")

    def handle(self, *args, **options):
        dry_run = not options["repair"]
        for result in tasks_repair(dry_run=dry_run):
            verb = "would open" if dry_run else "opened"
            undo = "would cancel" if dry_run else "cancelled"
            self.stdout.write(f"{result.kind}: {verb} {result.opened}, {undo} {result.cancelled}")

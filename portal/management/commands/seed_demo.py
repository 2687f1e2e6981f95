from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo organisations, one user per role and demo filings (safe to run twice)."

    def handle(self, *args, **options):
        rows = seed_demo()
        self.stdout.write(f"演示账号（仅供演示，密码均为 {DEMO_PASSWORD}）：")
        for username, role, org in rows:
            self.stdout.write(f"  {username:<20} {role:<12} {org}")

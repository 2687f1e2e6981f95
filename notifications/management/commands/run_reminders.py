"""python manage.py run_reminders [--at 2026-03-01T09:00+08:00]: one sweep as of a moment."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.sweep import sweep


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at {value!r}：时间格式应为 ISO 8601，如 2026-03-01T09:00+08:00。") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "执行一次提醒扫描：生成到期提醒、领取并投递（重复执行不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--at", help="按该时刻扫描（默认当前时间），如 2026-03-01T09:00+08:00")

    def handle(self, *args, at=None, **options):
        result = sweep(now=_moment(at) if at else None)
        self.stdout.write(f"新增提醒 {result.created} 条，领取投递 {result.claimed} 条，"
                          f"跳过 {result.skipped} 条，重新派发 {result.redispatched} 条。")

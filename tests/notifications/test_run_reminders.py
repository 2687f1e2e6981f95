from io import StringIO

from django.core import mail
from django.core.management import call_command

from notifications.models import Notification


def test_running_it_twice_sends_nothing_the_second_time(draft_plan, owner, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_reminders", "--at", "2026-03-10T09:00+08:00", stdout=out)
        call_command("run_reminders", "--at", "2026-03-10T09:00+08:00", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.startswith("新增提醒 1 条") and second.startswith("新增提醒 0 条，领取投递 0 条")
    assert Notification.objects.filter(user=owner).count() == 1 and len(mail.outbox) == 1

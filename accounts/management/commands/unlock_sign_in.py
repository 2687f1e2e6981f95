"""python manage.py unlock_sign_in NAME [--ip ADDRESS]: lift a sign-in lockout (django-axes) early."""

from axes.utils import reset
from django.core.management.base import BaseCommand

from accounts.signin import normalised_username


class Command(BaseCommand):
    help = "解除登录锁定：删除该用户名（可限定来源地址）的登录失败记录。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名（不区分大小写）")
        parser.add_argument("--ip", help="只解除来自该地址的锁定")

    def handle(self, *args, username, ip=None, **options):
        name = normalised_username(None, {"username": username})
        count = reset(ip=ip, username=name) if ip else reset(username=name)
        self.stdout.write(f"已解除 {name} 的登录锁定（删除 {count} 条失败记录）。")

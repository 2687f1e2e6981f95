"""What an administrator looks after, for the home page (portal collects HOME_PANELS)."""

from django.urls import reverse

from accounts.models import Role, User


def admin_panel(user):
    if user.role != Role.ADMIN:
        return []
    return [{"label": "系统管理：账号、单位、规则集（启用中的账号）", "count": User.objects.filter(is_active=True).count(),
             "url": reverse("admin:index")}]


HOME_PANELS = [admin_panel]

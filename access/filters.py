"""Filters of the staff-account list (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from access.staff_import import IMPORTABLE_ROLES
from accounts.models import Role, User


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="用户名、姓名或所属单位名称中的文字")
    role = django_filters.ChoiceFilter(label="角色", empty_label="全部",
                                       choices=[(r, Role(r).label) for r in IMPORTABLE_ROLES])
    active = django_filters.ChoiceFilter(label="状态", method="by_active", empty_label="全部",
                                         choices=[("yes", "正常"), ("no", "已停用")])

    class Meta:
        model = User
        fields = ["q", "role", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value)
                               | Q(organisation__name__icontains=value))

    def by_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")

"""Filters of the staff-account list (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from access.models import EmployerAccess, PersonLinkRequest
from access.staff_import import IMPORTABLE_ROLES
from accounts.models import Role, User
from ledger.filters import ID_NUMBER


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


def _person_search(queryset, value: str):
    """A full ID number matches exactly; other text matches the person's name."""
    value = value.strip()
    if ID_NUMBER.match(value):
        return queryset.filter(person__id_number=value.upper())
    return queryset.filter(person__name__icontains=value) if value else queryset


class EmployerAccessFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="姓名、完整身份证号码或用人单位名称")

    class Meta:
        model = EmployerAccess
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if value and not ID_NUMBER.match(value):
            return queryset.filter(Q(person__name__icontains=value) | Q(organisation__name__icontains=value))
        return _person_search(queryset, value)


class LinkRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="台账姓名或完整身份证号码")

    class Meta:
        model = PersonLinkRequest
        fields = ["q"]

    def search(self, queryset, name, value):
        return _person_search(queryset, value)

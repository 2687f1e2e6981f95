"""Filters of the audit-event list (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="用户名或对象", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=AuditEvent.Kind.choices, empty_label="全部")
    since = django_filters.DateFilter(label="起始日期", field_name="at", lookup_expr="date__gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(label="截止日期", field_name="at", lookup_expr="date__lte",
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEvent
        fields = ["q", "kind", "since", "until"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(target__icontains=value))

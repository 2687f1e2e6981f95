"""Filters of the completion-batch list (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from api.models import CompletionBatch


class CompletionBatchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="备案编号、培训名称或平台名称中的文字")
    status = django_filters.ChoiceFilter(label="状态", choices=CompletionBatch.Status.choices, empty_label="全部")

    class Meta:
        model = CompletionBatch
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(plan__filing_no__icontains=value) | Q(plan__title__icontains=value)
                               | Q(client__name__icontains=value))

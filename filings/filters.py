"""Filters of the plan list (django-filter): search, state, subject, mode, year, league."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from filings.models import Mode, PlanState, Subject, TrainingPlan
from jurisdiction.models import Division


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search",
                                  help_text="备案编号、培训名称或组织单位名称中的文字")
    state = django_filters.ChoiceFilter(label="状态", choices=PlanState.choices, empty_label="全部")
    subject = django_filters.ChoiceFilter(label="科目", choices=Subject.choices, empty_label="全部")
    mode = django_filters.ChoiceFilter(label="方式", choices=Mode.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="学时计入年度", field_name="credit_year", min_value=2000, max_value=2100)
    league = django_filters.ModelChoiceFilter(
        label="盟市", method="in_league", empty_label="全部",
        queryset=Division.objects.filter(level=Division.Level.LEAGUE).order_by("code"))

    class Meta:
        model = TrainingPlan
        fields = ["q", "state", "subject", "mode", "year", "league"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(filing_no__icontains=value) | Q(title__icontains=value)
                               | Q(organiser__name__icontains=value))

    def in_league(self, queryset, name, value):
        return queryset.filter(organiser__division__path__startswith=value.path)

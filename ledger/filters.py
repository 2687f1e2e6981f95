"""Filters of the ledger's lists (django-filter)."""

from __future__ import annotations

import re

import django_filters
from django.db.models import Q

from ledger.models import (
    AmendmentRequest,
    ApplicationState,
    CircumstanceApplication,
    CreditApplication,
    Person,
    PersonFlag,
    Source,
    TransmissionBatch,
)

ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="身份证号码或姓名", method="search",
                                  help_text="完整的18位身份证号码，或姓名中的文字")

    class Meta:
        model = Person
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if ID_NUMBER.match(value):
            return queryset.filter(id_number=value.upper())
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value))


class AmendmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="人员姓名、完整身份证号码或备案编号")
    status = django_filters.ChoiceFilter(label="状态", choices=AmendmentRequest.Status.choices, empty_label="全部")

    class Meta:
        model = AmendmentRequest
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if ID_NUMBER.match(value):
            return queryset.filter(entry__person__id_number=value.upper())
        if not value:
            return queryset
        return queryset.filter(Q(entry__person__name__icontains=value) | Q(entry__plan__filing_no__icontains=value))


class BatchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="批次号", field_name="identifier", lookup_expr="icontains")
    sent = django_filters.ChoiceFilter(label="报送状态", method="by_sent", empty_label="全部",
                                       choices=[("yes", "已报送"), ("no", "未报送")])

    class Meta:
        model = TransmissionBatch
        fields = ["q", "sent"]

    def by_sent(self, queryset, name, value):
        return queryset.filter(sent_at__isnull=value != "yes")


def _person_or_title(queryset, value: str, *, title: bool):
    """A full ID number matches exactly; other text matches the person's name (and the item's title)."""
    value = value.strip()
    if ID_NUMBER.match(value):
        return queryset.filter(person__id_number=value.upper())
    if not value:
        return queryset
    match = Q(person__name__icontains=value)
    return queryset.filter(match | Q(title__icontains=value) if title else match)


class CreditApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="人员姓名、完整身份证号码或项目名称")
    state = django_filters.ChoiceFilter(label="状态", choices=ApplicationState.choices, empty_label="全部")
    source = django_filters.ChoiceFilter(label="学时来源", choices=Source.choices,
                                         empty_label="全部")
    year = django_filters.NumberFilter(label="学时年度", field_name="year", min_value=2000, max_value=2100)

    class Meta:
        model = CreditApplication
        fields = ["q", "state", "source", "year"]

    def search(self, queryset, name, value):
        return _person_or_title(queryset, value, title=True)


class CircumstanceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="人员姓名或完整身份证号码")
    state = django_filters.ChoiceFilter(label="状态", choices=ApplicationState.choices, empty_label="全部")
    code = django_filters.ChoiceFilter(label="情形", choices=PersonFlag.Code.choices, empty_label="全部")

    class Meta:
        model = CircumstanceApplication
        fields = ["q", "state", "code"]

    def search(self, queryset, name, value):
        return _person_or_title(queryset, value, title=False)

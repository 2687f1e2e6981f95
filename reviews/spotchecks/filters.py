"""Filters of the spot-check campaign list (django-filter)."""

from __future__ import annotations

import django_filters

from reviews.models import CampaignState, SpotCheckCampaign


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="批次名称", field_name="name", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(label="状态", choices=CampaignState.choices, empty_label="全部")
    year = django_filters.NumberFilter(label="培训年度", field_name="year", min_value=2000, max_value=2100)

    class Meta:
        model = SpotCheckCampaign
        fields = ["q", "state", "year"]


class PublishedCampaignFilter(django_filters.FilterSet):
    """一公开: anyone may search the published results by name and year."""

    q = django_filters.CharFilter(label="批次名称", field_name="name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label="培训年度", field_name="year", min_value=2000, max_value=2100)

    class Meta:
        model = SpotCheckCampaign
        fields = ["q", "year"]

"""The campaign form a clerk fills: percentages as percentages, quotas as a table of leagues, no seed."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jurisdiction.models import Division
from reviews.models import SpotCheckCampaign
from reviews.spotchecks import sealing

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"name": "2026年度专业科目培训抽查", "division": "150000", "year": "2026", "subject": "", "mode": "",
            "plan_states": ["awaiting_report", "certified"], "sample_size": "", "sample_percent": "",
            "sample_min": "1", "strata_by": "none", "random_percent": "30", "risk_weighting": "on",
            "clean_cooldown_days": "365", "inspectors_per_training": "2", "inspector_load_limit": "5"}
    data.update(overrides)
    return data


def test_the_form_reads_in_chinese_without_json_fractions_or_a_seed_box(client, inspector):
    client.force_login(inspector)
    body = client.get(reverse("spotchecks:campaign_create")).content.decode()
    assert "赤峰市" in body and 'name="quota_150400"' in body and "鄂尔多斯市" in body
    assert "其中完全随机抽取（%）：" in body and 'value="30"' in body
    assert '<option value="" selected>全部科目</option>' in body and "全部方式" in body
    for engineer_word in ("JSON", "0.300", "承诺值", 'name="seed"', "纯随机比例", "：:"):
        assert engineer_word not in body
    assert "随机种子" in body  # the explanation that the system seals it


def test_league_quotas_become_the_strata_and_percentages_fractions(client, inspector):
    client.force_login(inspector)
    response = client.post(reverse("spotchecks:campaign_create"),
                           form_data(quota_150400="3", quota_150600="2", random_percent="25"))
    campaign = SpotCheckCampaign.objects.get()
    assert response.status_code == 302
    assert campaign.strata_quota == {"150400": 3, "150600": 2} and campaign.strata_by == "league"
    assert campaign.random_share == Decimal("0.250") and campaign.sample_ratio is None
    assert campaign.is_sealed and sealing.unseal(campaign.sealed_seed)
    page = client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk])).content.decode()
    assert "赤峰市" in page and "25%" in page and "打印承诺记录" in page


def test_a_percentage_of_the_population_is_kept_as_a_fraction(client, inspector):
    client.force_login(inspector)
    client.post(reverse("spotchecks:campaign_create"), form_data(sample_percent="12.5"))
    campaign = SpotCheckCampaign.objects.get()
    assert campaign.sample_ratio == Decimal("0.1250") and campaign.strata_quota == {}
    page = client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk])).content.decode()
    assert "培训总数的 12.5%" in page


@pytest.mark.parametrize("overrides, message", [
    ({"quota_150400": "3", "strata_by": "county"}, "请选择“按盟市”分层"),
    ({"quota_150600": "2", "division": "150400"}, "鄂尔多斯市不在所选抽查范围内"),
    ({"random_percent": "130"}, "100"),
    ({}, "请填写抽取数量、抽取比例或各层抽取数量"),
])
def test_it_refuses_what_cannot_be_drawn_and_says_why(client, inspector, overrides, message):
    client.force_login(inspector)
    response = client.post(reverse("spotchecks:campaign_create"), form_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not SpotCheckCampaign.objects.exists()


def test_a_league_inspector_sees_only_its_league_in_the_quota_table(client, chifeng_bureau):
    from accounts.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.INSPECTOR, organisation=chifeng_bureau))
    body = client.get(reverse("spotchecks:campaign_create")).content.decode()
    assert 'name="quota_150400"' in body and 'name="quota_150600"' not in body
    assert Division.objects.filter(code="150600").exists()


def test_strata_read_as_names_not_codes():
    from reviews.spotchecks.selectors import stratum_names

    assert stratum_names(["150400", "150404", "150600/base_league", "base_region", "全部"]) == {
        "150400": "赤峰市", "150404": "松山区", "150600/base_league": "鄂尔多斯市/盟市级继续教育基地",
        "base_region": "自治区级继续教育基地", "全部": "全部"}

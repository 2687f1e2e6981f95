"""The sealed seed: the system generates it, keeps it encrypted and unreadable until the draw, reveals it
at the draw, and the draw verifies as before. Campaigns whose creator keeps the seed still draw."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from reviews.models import SpotCheckCampaign
from reviews.spotchecks import algorithm, draws, sealing
from tests.filings.conftest import NOW
from tests.reviews.test_spotcheck_draw import campaign_data, pool, trainings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(days=41)


@pytest.fixture
def sealed(inspector, trainings, pool):  # noqa: F811
    campaign, seed = draws.campaign_create(actor=inspector, data=campaign_data())
    return campaign, seed


def test_it_stores_the_generated_seed_encrypted_and_publishes_only_its_commitment(sealed):
    campaign, seed = sealed
    campaign.refresh_from_db()
    assert campaign.is_sealed and seed not in campaign.sealed_seed
    assert seed not in str(SpotCheckCampaign.objects.filter(pk=campaign.pk).values().get())
    assert sealing.unseal(campaign.sealed_seed) == seed
    assert campaign.seed_commitment == algorithm.seed_commitment(seed)


def test_the_draw_unseals_the_seed_publishes_it_and_verifies(sealed, inspector, capsys):
    campaign, seed = sealed
    draw = draws.campaign_draw(campaign=campaign, actor=inspector, now=LATER)
    campaign.refresh_from_db()
    assert draw.seed == seed and draw.seed_commitment == campaign.seed_commitment
    assert campaign.sealed_seed == "" and campaign.state == "drawn"
    call_command("verify_draw", str(campaign.pk))
    assert "复算结果与记录一致" in capsys.readouterr().out


def test_a_sealed_seed_swapped_for_another_is_refused_at_the_draw(sealed, inspector):
    campaign, _ = sealed
    SpotCheckCampaign.objects.filter(pk=campaign.pk).update(sealed_seed=sealing.seal("另一个种子"))
    with pytest.raises(ValidationError):
        draws.campaign_draw(campaign=campaign, actor=inspector, now=LATER)
    assert not campaign.draws.exists()


def test_a_campaign_whose_creator_keeps_the_seed_needs_it_at_the_draw(inspector, trainings, pool):  # noqa: F811
    campaign, _ = draws.campaign_create(actor=inspector, data=campaign_data(), seed="创建人保存的种子")
    assert not campaign.is_sealed
    with pytest.raises(ValidationError):
        draws.campaign_draw(campaign=campaign, actor=inspector, now=LATER)
    draw = draws.campaign_draw(campaign=campaign, actor=inspector, seed="创建人保存的种子", now=LATER)
    assert draw.seed == "创建人保存的种子"


def test_a_redraw_seals_a_fresh_seed_and_draws_with_it(sealed, inspector, pool):  # noqa: F811
    campaign, seed = sealed
    draws.campaign_draw(campaign=campaign, actor=inspector, now=LATER)
    request, new_seed = draws.redraw_request(campaign=campaign, actor=inspector, reason="总体漏报两个培训")
    assert request.sealed_seed and new_seed not in request.sealed_seed and new_seed != seed
    draws.redraw_approve(request=request, actor=pool[1])
    second = draws.campaign_draw(campaign=campaign, actor=inspector, now=LATER)
    request.refresh_from_db()
    assert second.seed == new_seed and request.sealed_seed == ""
    call_command("verify_draw", str(campaign.pk))


def test_no_page_shows_the_sealed_seed_before_the_draw(client, sealed, inspector):
    campaign, seed = sealed
    client.force_login(inspector)
    for name in ("spotchecks:campaign_detail", "spotchecks:campaign_commitment", "spotchecks:campaign_list"):
        url = reverse(name, args=[campaign.pk]) if name != "spotchecks:campaign_list" else reverse(name)
        body = client.get(url).content.decode()
        assert seed not in body and campaign.sealed_seed not in body


def test_the_commitment_record_shows_the_terms_the_hash_who_and_when(client, sealed, inspector):
    campaign, _ = sealed
    client.force_login(inspector)
    body = client.get(reverse("spotchecks:campaign_commitment", args=[campaign.pk])).content.decode()
    assert "抽查批次承诺记录" in body and campaign.seed_commitment in body
    assert inspector.display_name in body and campaign.name in body
    assert "松山区" in body and "红山区" in body  # the strata quotas by name, not by code
    assert "30%" in body

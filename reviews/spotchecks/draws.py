"""Writes for campaigns and draws: create with a seed commitment, draw with the revealed seed, redraw.

The system generates the seed and keeps it sealed (encrypted, reviews.spotchecks.sealing) until the draw
unseals and publishes it. A seed given by the caller is the older way: the clerk keeps it and reveals it
at the draw; campaigns created that way draw and verify as before."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from reviews.models import CampaignState, RedrawRequest, SpotCheckCampaign, SpotCheckDraw, SpotCheckSelection
from reviews.spotchecks import algorithm, sealing
from reviews.spotchecks.freeze import parameters_of, population_items, scope_description
from reviews.spotchecks.inspectors import inspectors_assign
from reviews.spotchecks.selectors import acts_for_authority
from reviews.spotchecks.snapshot import population_dump

CAMPAIGN_FIELDS = [
    "name", "division", "year", "subject", "mode", "plan_states", "sample_size", "sample_ratio", "sample_min",
    "strata_by", "strata_quota", "risk_weighting", "random_share", "clean_cooldown_days",
    "inspectors_per_training", "inspector_load_limit",
]


def new_seed() -> str:
    return secrets.token_hex(16)


def _require_inspector_of(campaign: SpotCheckCampaign, actor: User) -> None:
    if actor.role != Role.INSPECTOR or not acts_for_authority(actor, campaign):
        raise PermissionDenied("只有组织抽查部门的巡查抽查人员可以办理此事项。")


def _seed_and_seal(seed: str) -> tuple[str, str]:
    """(seed, sealed copy): a caller's seed is the caller's to keep (nothing sealed); else a new sealed one."""
    if seed.strip():
        return seed.strip(), ""
    seed = new_seed()
    return seed, sealing.seal(seed)


@transaction.atomic
def campaign_create(*, actor: User, data: dict, seed: str = "") -> tuple[SpotCheckCampaign, str]:
    """Create a campaign and publish sha256(seed). Without a seed the system generates one and keeps it
    sealed until the draw; with one (the older way) the caller keeps it. Returns the seed either way."""
    if actor.role != Role.INSPECTOR or not actor.organisation_id:
        raise PermissionDenied("只有巡查抽查人员可以创建抽查批次。")
    if not data["division"].path.startswith(actor.organisation.division.path):
        raise ValidationError({"division": "抽查范围须在本部门管辖区划之内。"})
    seed, sealed = _seed_and_seal(seed)
    campaign = SpotCheckCampaign(authority=actor.organisation, created_by=actor, sealed_seed=sealed,
                                 seed_commitment=algorithm.seed_commitment(seed),
                                 **{f: data[f] for f in CAMPAIGN_FIELDS if f in data})
    campaign.full_clean(exclude=["state"])
    campaign.save()
    return campaign, seed


def _revealed_seed(seed: str, *, sealed: str, commitment: str) -> str:
    """The seed to draw with: the sealed one when the system keeps it, else the one the clerk reveals;
    either way it must match the commitment published before the draw."""
    if sealed:
        seed = sealing.unseal(sealed)
    elif not seed.strip():
        raise ValidationError({"seed": "本批次的随机种子由创建人密封保存，请输入该种子后抽取。"})
    if algorithm.seed_commitment(seed) != commitment:
        raise ValidationError({"seed": "随机种子与创建时公布的封存校验码不符，不能抽取。请核对密封保存的种子。"})
    return seed


def _pending_redraw(campaign: SpotCheckCampaign) -> RedrawRequest:
    request = campaign.redraw_requests.filter(draw__isnull=True).order_by("-pk").first()
    if request is None or request.approved_by_id is None:
        raise ValidationError("本批次已抽取。重新抽取须填写理由并经本部门另一名人员批准。")
    return request


class Frozen(NamedTuple):
    record: dict  # the algorithm's record: population, hashes, seed, selection
    excluded: list[str]
    plan_ids: dict[str, int]


def _freeze(campaign: SpotCheckCampaign, *, seed: str, now: dt.datetime) -> Frozen:
    population = population_items(campaign, now=now)
    if not population.items:
        raise ValidationError("抽查范围内没有符合条件的培训，无法抽取。")
    record = algorithm.run(population.items, seed=seed, params=parameters_of(campaign), with_bytes=True,
                           canonical=True)
    return Frozen(record, population.excluded, population.plan_ids)


def _save_draw(campaign, record, excluded, *, actor, number, request) -> SpotCheckDraw:
    return SpotCheckDraw.objects.create(
        campaign=campaign, number=number, algorithm_version=record["algorithm_version"],
        parameters={**record["parameters"], "scope": scope_description(campaign)},
        population_data=population_dump(record["population_bytes"]), population_size=len(record["population"]),
        population_hash=record["population_hash"], excluded=excluded,
        seed=record["seed"], seed_commitment=record["seed_commitment"], selection=record["selection"],
        selection_hash=record["selection_hash"], drawn_by=actor,
        reason=request.reason if request else "", approved_by=request.approved_by if request else None,
    )


def _save_selections(draw: SpotCheckDraw, ids: dict, population: list[dict]) -> list[SpotCheckSelection]:
    chosen = {s["id"] for s in draw.selection}
    risks = {item["id"]: item["risk"] for item in population if item["id"] in chosen}
    rows = [SpotCheckSelection(draw=draw, plan_id=ids[s["id"]], stratum=s["stratum"], part=s["part"],
                               risk=risks[s["id"]], rank=s["rank"]) for s in draw.selection]
    return SpotCheckSelection.objects.bulk_create(rows)


@transaction.atomic
def campaign_draw(*, campaign: SpotCheckCampaign, actor: User, seed: str = "",
                  now: dt.datetime | None = None) -> SpotCheckDraw:
    """1. lock; 2. check the actor, unseal the seed (or take the one revealed) and check it against the
    commitment (the campaign's for the first draw, the approved redraw request's after that); 3. freeze the
    population and parameters; 4. draw; 5. keep earlier draws, marked superseded; 6. save the selection and
    clear the sealed copy (the draw publishes the seed); 7. draw the inspectors."""
    campaign = SpotCheckCampaign.objects.select_for_update().get(pk=campaign.pk)
    _require_inspector_of(campaign, actor)
    previous = list(campaign.draws.filter(superseded=False))
    request = _pending_redraw(campaign) if previous else None
    holder = request or campaign
    seed = _revealed_seed(seed, sealed=holder.sealed_seed, commitment=holder.seed_commitment)
    record, excluded, ids = _freeze(campaign, seed=seed, now=now or timezone.now())
    campaign.draws.filter(superseded=False).update(superseded=True)
    draw = _save_draw(campaign, record, excluded, actor=actor, number=campaign.draws.count() + 1, request=request)
    if request:
        request.draw, request.sealed_seed = draw, ""
        request.save(update_fields=["draw", "sealed_seed"])
    else:
        campaign.mark_drawn()
        campaign.sealed_seed = ""
        campaign.save(update_fields=["state", "sealed_seed"])
    inspectors_assign(draw=draw, selections=_save_selections(draw, ids, record["population"]))
    return draw


@transaction.atomic
def redraw_request(*, campaign: SpotCheckCampaign, actor: User, reason: str, seed: str = "") -> tuple[RedrawRequest, str]:
    """Ask for a second draw: a reason, and a fresh seed whose SHA-256 is recorded now (sealed by the
    system unless the caller gives and keeps one)."""
    campaign = SpotCheckCampaign.objects.select_for_update().get(pk=campaign.pk)
    _require_inspector_of(campaign, actor)
    if not reason.strip():
        raise ValidationError({"reason": "请填写重新抽取的理由。"})
    if not campaign.draws.exists() or campaign.state != CampaignState.DRAWN:
        raise ValidationError("只有已抽取、结果尚未审定的批次可以申请重新抽取。")
    if campaign.redraw_requests.filter(draw__isnull=True).exists():
        raise ValidationError("已有待处理的重新抽取申请。")
    seed, sealed = _seed_and_seal(seed)
    request = RedrawRequest.objects.create(campaign=campaign, reason=reason.strip(), requested_by=actor,
                                           seed_commitment=algorithm.seed_commitment(seed), sealed_seed=sealed)
    return request, seed


@transaction.atomic
def redraw_approve(*, request: RedrawRequest, actor: User, now: dt.datetime | None = None) -> RedrawRequest:
    """The second approver: another person (inspector or reviewer) of the same authority."""
    request = RedrawRequest.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=request.pk)
    if not acts_for_authority(actor, request.campaign):
        raise PermissionDenied("只有组织抽查部门的人员可以批准重新抽取。")
    if actor.pk == request.requested_by_id:
        raise PermissionDenied("重新抽取须由申请人以外的另一名人员批准。")
    if request.approved_by_id or request.draw_id:
        raise ValidationError("该申请已批准。")
    request.approved_by, request.approved_at = actor, now or timezone.now()
    request.save(update_fields=["approved_by", "approved_at"])
    return request


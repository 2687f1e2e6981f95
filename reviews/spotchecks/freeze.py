"""Freezing a campaign's population: the items {id, stratum, risk} the draw runs on."""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import NamedTuple

from reviews.models import SpotCheckCampaign
from reviews.spotchecks import selectors
from reviews.spotchecks.algorithm import DrawParameters
from reviews.spotchecks.risk import past_points, population_rows


def parameters_of(campaign: SpotCheckCampaign) -> DrawParameters:
    return DrawParameters(
        size=campaign.sample_size, ratio=campaign.sample_ratio, minimum=campaign.sample_min,
        random_share=campaign.random_share, risk_weighting=campaign.risk_weighting,
        strata={str(k): int(v) for k, v in (campaign.strata_quota or {}).items()},
    )


def scope_description(campaign: SpotCheckCampaign) -> dict:
    """The non-algorithmic part of the frozen parameters, published with the draw."""
    return {
        "authority": campaign.authority.name, "division": campaign.division.code, "year": campaign.year,
        "subject": campaign.subject, "mode": campaign.mode, "plan_states": sorted(campaign.plan_states),
        "strata_by": campaign.strata_by, "risk_rules": campaign.risk_rules,
        "clean_cooldown_days": campaign.clean_cooldown_days,
    }


class Population(NamedTuple):
    items: list[dict]  # {"id": filing number, "stratum", "risk"}, as the draw algorithm takes them
    excluded: list[str]  # filing numbers left out (organiser found clean within the cooldown)
    plan_ids: dict[str, int]  # filing number -> plan id


def population_items(campaign: SpotCheckCampaign, *, now: dt.datetime) -> Population:
    """The campaign's population to draw from, in canonical order (sorted by filing number).

    An organiser found clean within the cooldown period is left out, unless the training's risk
    is now higher than it was at that check.
    """
    rules = campaign.risk_rules
    rows = population_rows(selectors.campaign_population(campaign), rules)
    rows.sort(key=itemgetter(1))
    organisers = {row[2] for row in rows}
    past = {organiser: past_points(rules, n) for organiser, n in selectors.violation_counts(organisers).items()}
    since = now - dt.timedelta(days=campaign.clean_cooldown_days)
    clean = selectors.last_clean_checks(organisers, since=since)
    strata = selectors.organiser_strata(organisers, campaign.strata_by)
    items, excluded, ids = [], [], {}
    for pk, filing_no, organiser, points in rows:
        risk = points + past.get(organiser, 0)
        if organiser in clean and risk <= clean[organiser]:
            excluded.append(filing_no)
            continue
        items.append({"id": filing_no, "stratum": strata[organiser], "risk": risk})
        ids[filing_no] = pk
    return Population(items, excluded, ids)

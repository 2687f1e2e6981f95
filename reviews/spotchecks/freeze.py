"""Freezing a campaign's population: the items {id, stratum, risk} the draw runs on."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from reviews.models import SpotCheckCampaign
from reviews.spotchecks import selectors
from reviews.spotchecks.algorithm import DrawParameters
from reviews.spotchecks.risk import fact_dicts, risk_fact_rows, risk_scorer


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
    """The campaign's population to draw from.

    An organiser found clean within the cooldown period is left out, unless the training's risk
    is now higher than it was at that check.
    """
    rows = fact_dicts(risk_fact_rows(selectors.campaign_population(campaign)))
    organisers = {row["organiser_id"] for row in rows}
    violations = selectors.violation_counts(organisers)
    since = now - dt.timedelta(days=campaign.clean_cooldown_days)
    clean = selectors.last_clean_checks(organisers, since=since)
    score = risk_scorer(campaign.risk_rules)
    # A few hundred organisers: the stratum of each (from its kind and division, read in the same query)
    # worked out once.
    strata: dict[int, str] = {}
    items, excluded, ids = [], [], {}
    for row in rows:
        organiser = row["organiser_id"]
        risk = score(row, violations.get(organiser, 0))
        if organiser in clean and risk <= clean[organiser]:
            excluded.append(row["filing_no"])
            continue
        stratum = strata.get(organiser)
        if stratum is None:
            stratum = strata[organiser] = selectors.stratum_of(row, campaign.strata_by)
        items.append({"id": row["filing_no"], "stratum": stratum, "risk": risk})
        ids[row["filing_no"]] = row["pk"]
    return Population(items, sorted(excluded), ids)

"""Reads for spot checks, each already scoped to the user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, QuerySet

from accounts.models import Role, User
from accounts.selectors import AUTHORITY_ROLES
from filings.models import TrainingPlan
from jurisdiction.models import Division, Organisation, league_code_of
from reviews.models import (
    CampaignState,
    Inspection,
    InspectorAssignment,
    OrganiserViolation,
    Outcome,
    SpotCheckCampaign,
    SpotCheckSelection,
    Strata,
)


def campaigns_visible_to(user: User) -> QuerySet[SpotCheckCampaign]:
    """Inspectors and reviewers see the campaigns of their own organisation and of those below it."""
    if not user.is_authenticated or not user.is_active:
        return SpotCheckCampaign.objects.none()
    qs = SpotCheckCampaign.objects.select_related("authority", "division", "created_by")
    if user.role == Role.ADMIN:
        return qs
    if user.role not in AUTHORITY_ROLES or not user.organisation_id:
        return qs.none()
    return qs.filter(authority__division__path__startswith=user.organisation.division.path)


def published_campaigns() -> QuerySet[SpotCheckCampaign]:
    return SpotCheckCampaign.objects.filter(state=CampaignState.PUBLISHED).select_related("authority", "division")


def campaign_population(campaign: SpotCheckCampaign) -> QuerySet[TrainingPlan]:
    """The trainings in scope: the division subtree, year, subject, mode and plan states of the campaign."""
    plans = TrainingPlan.objects.filter(
        organiser__division__path__startswith=campaign.division.path,
        starts_at__year=campaign.year,
        state__in=campaign.plan_states,
    )
    if campaign.subject:
        plans = plans.filter(subject=campaign.subject)
    if campaign.mode:
        plans = plans.filter(mode=campaign.mode)
    return plans.order_by()  # the draw puts the population in its canonical order


def stratum_of(kind: str, division_id: str, path: str, strata_by: str) -> str:
    """The stratum of an organiser of `kind` in the division `division_id` (at `path`)."""
    return {
        Strata.NONE: "全部",
        Strata.LEAGUE: league_code_of(path),
        Strata.COUNTY: division_id,
        Strata.ORGANISER_KIND: kind,
        Strata.LEAGUE_KIND: f"{league_code_of(path)}/{kind}",
    }[strata_by]


def organiser_strata(organiser_ids, strata_by: str) -> dict[int, str]:
    """Organiser id -> its stratum, for a few hundred organisers in one query."""
    rows = Organisation.objects.filter(pk__in=organiser_ids).values_list("pk", "kind", "division_id", "division__path")
    return {pk: stratum_of(kind, division, path, strata_by) for pk, kind, division, path in rows}


def violation_counts(organiser_ids) -> dict[int, int]:
    rows = (OrganiserViolation.objects.filter(organiser_id__in=organiser_ids)
            .values("organiser_id").annotate(n=Count("pk")))
    return {row["organiser_id"]: row["n"] for row in rows}


def last_clean_checks(organiser_ids, *, since: dt.datetime) -> dict[int, int]:
    """Organiser → risk points at its most recent clean check since `since`."""
    rows = (Inspection.objects.filter(selection__plan__organiser_id__in=organiser_ids, outcome=Outcome.COMPLIANT,
                                      recorded_at__gte=since, selection__draw__superseded=False)
            .order_by("recorded_at", "pk").values_list("selection__plan__organiser_id", "selection__risk"))
    return dict(rows)


def inspector_pool(authority: Organisation) -> QuerySet[User]:
    """Inspectors of the authority and of organisations below it, active ones only."""
    return User.objects.filter(
        role=Role.INSPECTOR, is_active=True, organisation__division__path__startswith=authority.division.path,
    ).select_related("organisation").order_by("pk")


def last_inspectors_of(organiser_id: int, *, campaign: SpotCheckCampaign) -> set[int]:
    """Who inspected the organiser in its last check (see last_inspectors_by_organiser)."""
    return last_inspectors_by_organiser([organiser_id], campaign=campaign).get(organiser_id, set())


def last_inspectors_by_organiser(organiser_ids, *, campaign: SpotCheckCampaign) -> dict[int, set[int]]:
    """Organiser → who inspected it in its last check: the latest valid draw of another campaign that
    selected any of its trainings, all of those trainings. Two queries for any number of organisers."""
    selected = SpotCheckSelection.objects.filter(plan__organiser_id__in=organiser_ids, draw__superseded=False).exclude(
        draw__campaign=campaign)
    last_draw = dict(selected.values("plan__organiser_id").annotate(last=Max("draw_id"))
                     .values_list("plan__organiser_id", "last"))
    found: dict[int, set[int]] = {organiser: set() for organiser in last_draw}
    # Only the assignments of those last draws: the history of earlier checks grows every year.
    rows = (InspectorAssignment.objects.filter(selection__draw_id__in=set(last_draw.values()),
                                               selection__plan__organiser_id__in=list(last_draw), ended_at__isnull=True)
            .values_list("selection__plan__organiser_id", "selection__draw_id", "inspector_id"))
    for organiser, draw_id, inspector in rows:
        if draw_id == last_draw[organiser]:
            found[organiser].add(inspector)
    return found


def current_selections(campaign: SpotCheckCampaign) -> QuerySet[SpotCheckSelection]:
    return (SpotCheckSelection.objects.filter(draw__campaign=campaign, draw__superseded=False)
            .select_related("plan__organiser", "inspection").order_by("rank"))


def active_assignments(selection: SpotCheckSelection) -> QuerySet[InspectorAssignment]:
    return selection.assignments.filter(ended_at__isnull=True).select_related("inspector")


def is_assigned(selection: SpotCheckSelection, user: User) -> bool:
    return selection.assignments.filter(ended_at__isnull=True, inspector=user).exists()


def acts_for_authority(user: User, campaign: SpotCheckCampaign) -> bool:
    return (user.is_active and user.role in AUTHORITY_ROLES and user.organisation_id == campaign.authority_id)



def stratum_names(codes) -> dict[str, str]:
    """Stratum → what a clerk calls it: a division's name for a league or county code, a "league/kind"
    stratum as "赤峰市/盟市级继续教育基地", an organiser kind by its label; anything else as it is."""
    codes = set(codes)
    divisions = {part for code in codes for part in code.split("/") if part.isdigit()}
    names = dict(Division.objects.filter(code__in=divisions).values_list("code", "name")) if divisions else {}
    names.update({kind.value: kind.label for kind in Organisation.Kind})
    return {code: "/".join(names.get(part, part) for part in code.split("/")) for code in codes}


def strata_quota_rows(campaign: SpotCheckCampaign, *, names: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """The campaign's strata quotas as (stratum name, number), in code order (`names`: stratum_names already
    worked out for the page)."""
    quota = campaign.strata_quota or {}
    if not quota:
        return []
    names = names or stratum_names(quota)
    return [(names[code], number) for code, number in sorted(quota.items())]

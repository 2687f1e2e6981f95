"""Who certifies a plan's hours (核定学时), by the rules in force: the one answer every caller asks.

Certification pages and services (reviews), the completion API, the plan's `certify` transition and the
authorities' queues all ask `certifying_party_of_plan` / `certifying_authority_of_plan` / `can_certify`,
so the rule (rules.selectors.certifying_party, rule-set data by the trainee's employer's management level)
is applied in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from jurisdiction.models import ManagementLevel, Organisation
from rules.selectors import CertifyingParty, certifying_party, may_certify

if TYPE_CHECKING:
    from accounts.models import User
    from filings.models import TrainingPlan

# ledger.models.Source values (the plan is the training; the ledger's source names what kind it is).
STAFF_TRAINING, INDUSTRY_TRAINING, TRAINING = "staff_training", "industry_training", "training"


def trainees_employer_of_plan(plan: TrainingPlan) -> Organisation | None:
    """The trainees' employer, where the plan tells it: a unit training its own staff (a region-level unit or
    base, or an employer); otherwise unknown (None), and the local HR bureau certifies."""
    organiser = plan.organiser
    if organiser.management_level != ManagementLevel.LOCAL or organiser.kind == Organisation.Kind.EMPLOYER:
        return organiser
    return None


def source_of_plan(plan: TrainingPlan) -> str:
    if trainees_employer_of_plan(plan) is not None:
        return STAFF_TRAINING
    return INDUSTRY_TRAINING if plan.organiser.kind == Organisation.Kind.INDUSTRY_DEPT else TRAINING


def certifying_party_of_plan(plan: TrainingPlan) -> CertifyingParty:
    """按照管理权限: every organisation that may certify the plan's hours, in the order the notice names them.
    The local HR bureau, where the rule names it, is the plan's reviewing authority (the bureau that holds
    management authority over the organiser)."""
    return certifying_party(employer=trainees_employer_of_plan(plan), organiser=plan.organiser,
                            on=timezone.localtime(plan.starts_at).date(), source=source_of_plan(plan),
                            local_bureau=plan.authority)


def certifying_authority_of_plan(plan: TrainingPlan) -> Organisation:
    """The organisation whose queue the plan's certification (待核定学时) lands in: the first party the rule
    names (the others, where the notice names several, may certify too: see `can_certify`)."""
    return certifying_party_of_plan(plan).organisations[0]


def can_certify(plan: TrainingPlan, user: User) -> bool:
    """A user of a certifying party in a role that certifies for it (rules.selectors.may_certify); four eyes:
    never the person who filed the plan, and an HR bureau never certifies its own organisation's plan."""
    if user.organisation_id == plan.organiser_id == plan.authority_id:
        return False
    return may_certify(user, certifying_party_of_plan(plan), filed_by=plan.created_by_id)

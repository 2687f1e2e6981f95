"""Reads of the hour ledger, already scoped to the user (deny by default)."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import scope_q
from jurisdiction.models import Division, Organisation
from jurisdiction.selectors import supervising_authority
from ledger.models import (
    AmendmentRequest,
    ApplicationState,
    CircumstanceApplication,
    CreditApplication,
    HourEntry,
    Person,
    PersonFlag,
    Source,
    TransmissionBatch,
)
from ledger.review_tasks import open_tasks
from rules.eligibility import root_division
from rules.models import RuleSet
from rules.selectors import NoRuleSetInForce, certifying_party, policy_for

SUBJECT_LABELS = dict(HourEntry._meta.get_field("subject").choices)


def entries_visible_to(user: User) -> QuerySet[HourEntry]:
    """Professionals: their own rows; organisers: rows of their trainings; authorities: rows they certified."""
    qs = HourEntry.objects.select_related("person", "plan", "authority", "reverses")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.role == Role.PROFESSIONAL:
        return qs.filter(person__user=user)
    if user.role == Role.ORGANISER:
        return qs.filter(scope_q(user, organisation_field="plan__organiser"))
    return qs.filter(scope_q(user, organisation_field="authority"))


# Who may look a person up (by ID number or name) and see their ledger.
LOOKUP_ROLES = (Role.REVIEWER, Role.TITLE_OFFICE, Role.ADMIN)


def can_look_up_persons(user: User) -> bool:
    return (getattr(user, "is_authenticated", False) and user.is_active and user.role in LOOKUP_ROLES
            and (user.role == Role.ADMIN or bool(user.organisation_id)))


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Persons within the user's scope: certified by an authority at or below the user's node, or
    employed by an organisation there. Reviewers and title offices; administrators see everyone."""
    if not can_look_up_persons(user):
        return Person.objects.none()
    if user.role == Role.ADMIN:
        return Person.objects.all()
    path = user.organisation.division.path
    certified_here = HourEntry.objects.filter(person_id=OuterRef("pk"), authority__division__path__startswith=path)
    return Person.objects.filter(Q(employer_organisation__division__path__startswith=path) | Exists(certified_here))


def person_of(user: User) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def entries_of_plan(plan, *, roster_entries=None) -> list[HourEntry]:
    """The training's ledger rows, oldest first; `is_reversed` marks a row a later reversal cancels.
    `roster_entries` (ids) limits them to some trainees, e.g. one page of a large roster."""
    entries = HourEntry.objects.filter(plan=plan).select_related("plan").order_by("pk")
    if roster_entries is not None:
        entries = entries.filter(roster_entry_id__in=roster_entries)
    entries = list(entries)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    for entry in entries:
        entry.is_reversed = entry.pk in reversed_ids
    return entries


def _empty_year() -> dict:
    return {"subjects": defaultdict(int), "sources": defaultdict(int), "total": 0}


def hours_by_year(person: Person) -> list[dict]:
    """Per year, newest first: sums by subject and by source (credits plus reversals) and the total."""
    years: dict[int, dict] = defaultdict(_empty_year)
    rows = person.hour_entries.values("year", "subject", "source").annotate(hours=Sum("hours"))
    for row in rows:
        year = years[row["year"]]
        year["subjects"][row["subject"]] += row["hours"]
        year["sources"][row["source"]] += row["hours"]
        year["total"] += row["hours"]
    return [
        {"year": y, "total": d["total"],
         "subjects": [(SUBJECT_LABELS[k], v) for k, v in sorted(d["subjects"].items(), key=lambda kv: kv[0] != "public")],
         "sources": [(Source(k).label, v) for k, v in sorted(d["sources"].items())],
         "entries": []}
        for y, d in sorted(years.items(), reverse=True)
    ]


def ledger_for(person: Person) -> list[dict]:
    """hours_by_year with each year's entries (training, authority, reversals) attached."""
    years = hours_by_year(person)
    by_year = {y["year"]: y for y in years}
    entries = person.hour_entries.select_related("plan", "authority", "reverses", "application").order_by("year", "pk")
    for entry in entries:
        by_year[entry.year]["entries"].append(entry)
    return years


def batches_visible_to(user: User) -> QuerySet[TransmissionBatch]:
    """Batches are the authority's own business: only its reviewers see them."""
    if not user.is_active or user.role != Role.REVIEWER or not user.organisation_id:
        return TransmissionBatch.objects.none()
    return TransmissionBatch.objects.filter(authority_id=user.organisation_id).select_related("created_by")


def amendments_visible_to(user: User) -> QuerySet[AmendmentRequest]:
    entry_ids = entries_visible_to(user).values("pk")
    return AmendmentRequest.objects.filter(entry_id__in=entry_ids).select_related(
        "entry__person", "entry__plan", "requested_by", "decided_by"
    )


# --- who a person works for, and who decides their applications ------------------------------

def person_division(person: Person) -> Division:
    """The division whose rule set judges the person: the employer's, else the top of the tree (the region;
    no literal code, issue 15 item 10)."""
    if person.employer_organisation_id:
        return person.employer_organisation.division
    return root_division()


def person_region(person: Person) -> str | None:
    """The division code a review of this person is judged under (`Review.region`; None: the region)."""
    return person.employer_organisation.division.code if person.employer_organisation_id else None


def application_authority(person: Person, *, source: str | None = None, on=None) -> Organisation:
    """The organisation that decides the person's credit application from `source` (学时认定, by the rule
    that says who certifies hours, rules.selectors.certifying_party) or, without a source, a circumstance
    record (减免情形; no notice hands those to a unit: the HR bureau holding management authority).

    2026 §一(二): "按照管理权限由属地人力资源社会保障部门、自治区本级各企事业单位人力资源（人事）部门或自治区级专业
    技术人员继续教育基地核定学时"; the local HR bureau is the one supervising the employer. Where the rule
    names several parties, the first that resolves decides (a region-level base only for a training it
    organised, which a credit application does not carry).
    """
    if not person.employer_organisation_id:
        raise ValidationError(f"{person.name} 尚未关联所在单位，无法确定审核部门：请由所在单位人事部门先登记。")
    employer = person.employer_organisation
    try:
        bureau = supervising_authority(employer)
    except Organisation.DoesNotExist as error:
        raise ValidationError(str(error)) from None
    if source is None:
        return bureau
    try:
        party = certifying_party(employer=employer, on=on or timezone.localdate(), source=source,
                                 local_bureau=bureau)
    except NoRuleSetInForce:
        return bureau
    return party.organisations[0]


def application_decided_by_employer(application) -> bool:
    """The rules name the person's own unit (its HR department) to decide, not an HR bureau."""
    return application.authority_id == application.person.employer_organisation_id


def policy_for_person(person: Person, on):
    """The merged rule set in force for the person's division on `on` (credit_sources, conversions …)."""
    return policy_for(division=person_division(person), on=on)


def rule_set_name(code: str) -> str:
    """The notice's name for a rule-set code (pages name the notice, never the code)."""
    if not code:
        return ""
    return RuleSet.objects.filter(code=code).values_list("name", flat=True).first() or ""


def persons_acted_for(user: User) -> QuerySet[Person]:
    """Persons a user may file for: a professional, themself; employer HR, their organisation's staff;
    a reviewer, staff of employers in their subtree (circumstances only)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    if user.role == Role.PROFESSIONAL:
        return Person.objects.filter(user=user)
    if user.role == Role.EMPLOYER_HR and user.organisation_id:
        return Person.objects.filter(employer_organisation_id=user.organisation_id)
    if user.role == Role.REVIEWER and user.organisation_id:
        return Person.objects.filter(scope_q(user, organisation_field="employer_organisation"))
    return Person.objects.none()


def applications_visible_to(user: User, model) -> QuerySet:
    """Credit applications or circumstance records (`model`) the user may read: their own (professional),
    their organisation's staff (employer HR), those their authority decides or that lie in its subtree
    (reviewer), everything (administrator)."""
    qs = model.objects.select_related("person", "authority", "filed_by", "decided_by", "employer")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    if user.role == Role.PROFESSIONAL:
        return qs.filter(person__user=user)
    if user.role == Role.EMPLOYER_HR and user.organisation_id:
        return qs.filter(employer_id=user.organisation_id)
    if user.role == Role.REVIEWER and user.organisation_id:
        return qs.filter(scope_q(user, organisation_field="authority"))
    return qs.none()


def application_queue_for(user: User, model) -> QuerySet:
    """Submitted applications this user's organisation must decide, oldest first, with who claimed each:
    a reviewer's authority, never for its own organisation's staff; an employer's HR, where the rules
    name the unit itself (application_authority)."""
    if not user.is_active or user.role not in (Role.REVIEWER, Role.EMPLOYER_HR) or not user.organisation_id:
        return model.objects.none()
    tasks = open_tasks(model).filter(process__artifact_object_id=OuterRef("pk"))
    queue = applications_visible_to(user, model).filter(state=ApplicationState.SUBMITTED,
                                                        authority_id=user.organisation_id)
    if user.role == Role.REVIEWER:
        queue = queue.exclude(person__employer_organisation_id=user.organisation_id)
    return (queue.exclude(filed_by=user).exclude(person__user=user)
            .annotate(claimed_by_id=Subquery(tasks.values("owner_id")[:1])).order_by("filed_at", "pk"))


def pending_applications(person: Person) -> list:
    """The person's credit applications and circumstance records not decided yet."""
    undecided = (ApplicationState.SUBMITTED, ApplicationState.RETURNED)
    return [*person.credit_applications.filter(state__in=undecided).order_by("filed_at"),
            *person.circumstance_applications.filter(state__in=undecided).order_by("filed_at")]


def circumstances_of(person: Person) -> QuerySet[PersonFlag]:
    return person.flags.select_related("recorded_by").order_by("pk")


def application_claimed_by(application) -> User | None:
    task = (open_tasks(type(application)).filter(process__artifact_object_id=application.pk)
            .select_related("owner").first())
    return task.owner if task else None


def review_inbox_applications(user: User) -> tuple[list, list]:
    """(claimed by this reviewer, waiting to be claimed): credit applications and circumstance records."""
    mine, pool = [], []
    for model, kind in ((CreditApplication, "credit"), (CircumstanceApplication, "circumstance")):
        for application in application_queue_for(user, model)[:200]:
            application.kind = kind
            (mine if application.claimed_by_id == user.pk else pool if application.claimed_by_id is None
             else []).append(application)
    return mine, pool

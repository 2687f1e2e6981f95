"""Reads of the hour ledger, already scoped to the user (deny by default)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet, Sum

from accounts.models import Role, User
from accounts.selectors import scope_q
from ledger.models import AmendmentRequest, HourEntry, Person, Source, TransmissionBatch

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


def person_of(user: User) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def entries_of_plan(plan) -> list[HourEntry]:
    """The training's ledger rows, oldest first; `is_reversed` marks a row a later reversal cancels."""
    entries = list(HourEntry.objects.filter(plan=plan).select_related("plan").order_by("pk"))
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
    entries = person.hour_entries.select_related("plan", "authority", "reverses").order_by("year", "pk")
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

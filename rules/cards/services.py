"""Issuing, revoking and checking audit cards (继续教育审验卡)."""

from __future__ import annotations

import base64
import secrets
from datetime import date
from enum import StrEnum

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from accounts.pii import mask_id_number
from ledger.models import HourEntry, Person
from ledger.selectors import person_region
from rules import ledger_source
from rules.cards.explain import explain, ledger_years
from rules.engine import EligibilityInputError, Review
from rules.engine.types import window_spec, window_years
from rules.models import AuditCard

DEFAULT_AUTHORITY = "内蒙古自治区人力资源和社会保障厅"


class CardError(ValueError):
    pass


class CardStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"  # hours behind the card were reversed later


def new_code() -> str:
    """16 characters of base32 from 80 random bits: unguessable, easy to type."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def cards_visible_to(user: User) -> QuerySet[AuditCard]:
    return AuditCard.objects.filter(person__in=ledger_source.persons_visible_to(user)).select_related("person")


def card_years(person: Person, year: int, scope: str, today: date) -> list[int]:
    """A year card: that year. A title card: the senior title-review window of the rules in force for
    the person that year (the year and the two before it from 2022; the three before it under 2017)."""
    if scope != "title":
        return [year]
    review = Review(kind="title_review", level="senior", date=_review_day(year, today),
                    region=ledger_source.person_region(person))
    try:
        elig = ledger_source.review_policy(review)["eligibility"]
    except EligibilityInputError as exc:
        raise CardError(exc.message) from None
    return window_years(year, window_spec(review, elig, ""))


def _review_day(year: int, today: date) -> date:
    if year > today.year:
        raise CardError(f"{year}年度尚未开始，不能出具审验卡。")
    return today if year == today.year else date(year, 12, 31)


def _authority(actor: User | None) -> str:
    if actor is not None and actor.role != Role.PROFESSIONAL and actor.organisation_id:
        return actor.organisation.name
    return DEFAULT_AUTHORITY


def _verdict_part(person: Person, year: int, scope: str, today: date) -> dict:
    """Title card: the senior title-review verdict; year card: the junior one (the review year alone)."""
    level = "senior" if scope == "title" else "junior"
    review = Review(kind="title_review", level=level, date=_review_day(year, today), region=person_region(person))
    found = explain(person=person, review=review)
    if found.verdict is None:
        raise CardError(found.error or "无法审验：没有适用的规则集。")
    tallies = {str(y): t.as_dict() for y, t in found.verdict.years.items()}
    notice = found.notice
    return {"kind": found.what, "rules": found.rules_code, "eligible": found.verdict.eligible,
            "notice": str(notice or ""), "notice_cited": notice.cited if notice else "",
            "notice_issuer": notice.issuer if notice else "",
            "required_years": found.verdict.required_years, "tallies": tallies, "reasons": found.verdict.reasons}


def snapshot_for(person: Person, years: list[int], verdict: dict, authority: str) -> dict:
    ledger = ledger_years(person.pk, years)
    entry_ids = list(HourEntry.objects.filter(person=person, year__in=years).order_by("pk").values_list("pk", flat=True))
    by_year = {str(y): {"public": ledger[y]["public"], "professional": ledger[y]["professional"],
                        "sources": ledger[y]["sources"]} if y in ledger else
               {"public": 0, "professional": 0, "sources": []} for y in years}
    return {"name": person.name, "id_masked": mask_id_number(person.id_number), "employer": person.employer,
            "years": by_year, "verdict": verdict, "authority": authority, "entry_ids": entry_ids}


def card_issue(*, person: Person, year: int, scope: str, actor: User | None, request=None,
               today: date | None = None) -> AuditCard:
    """1. judge the years from the ledger; 2. freeze the facts and counted entries; 3. log the issue."""
    today = today or timezone.localdate()
    years = card_years(person, year, scope, today)
    verdict = _verdict_part(person, year, scope, today)
    with transaction.atomic():
        card = AuditCard.objects.create(
            code=new_code(), person=person, years=years, issued_by=actor,
            snapshot=snapshot_for(person, years, verdict, _authority(actor)),
        )
        audit_record(kind=AuditEvent.Kind.EXPORT, actor=actor, request=request, target=f"审验卡 {card.code}",
                     person_id=person.pk, years=years)
    return card


def card_revoke(*, card: AuditCard, actor: User, request=None) -> AuditCard:
    with transaction.atomic():
        updated = AuditCard.objects.filter(pk=card.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            audit_record(kind=AuditEvent.Kind.REVOCATION, actor=actor, request=request, target=f"审验卡 {card.code}")
    card.refresh_from_db()
    return card


def _hours_fell(card: AuditCard) -> bool:
    rows = (HourEntry.objects.filter(person_id=card.person_id, year__in=card.years)
            .values("year", "subject").annotate(hours=Sum("hours")))
    now = {(str(r["year"]), r["subject"]): r["hours"] for r in rows}
    for year, shown in card.snapshot.get("years", {}).items():
        if any(now.get((year, subject), 0) < shown[subject] for subject in ("public", "professional")):
            return True
    return False


def card_status(card: AuditCard) -> CardStatus:
    """Revoked; superseded when a counted entry was reversed or the years' sums fell; else valid."""
    if card.revoked_at is not None:
        return CardStatus.REVOKED
    counted = card.snapshot.get("entry_ids", [])
    reversed_later = HourEntry.objects.filter(reverses_id__in=counted).exclude(pk__in=counted).exists()
    if reversed_later or _hours_fell(card):
        return CardStatus.SUPERSEDED
    return CardStatus.VALID

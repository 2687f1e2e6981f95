"""The ledger for the talent database and title offices: the change feed, one person's hours,
and eligibility through the same code as the `eligibility` command."""

from __future__ import annotations

import json

from django.db.models import Q
from django.utils import timezone
from ninja import Body, Query, Router

from api.endpoints.common import client_of
from api.feed import entries_query, feed_read
from api.problems import ApiProblem, error_row
from api.schemas import LedgerChangesOut, PersonHoursOut, Problem
from ledger.models import HourEntry, Person
from rules.eligibility import eligibility_check
from rules.engine import EligibilityInputError
from rules.idnumber import normalise_id_number

router = Router(tags=["ledger"])
ERRORS = {code: Problem for code in (400, 401, 403, 404, 409, 413, 422, 429)}


def entry_out(entry: HourEntry) -> dict:
    return {
        "entry_id": entry.pk, "kind": entry.kind, "reverses": entry.reverses_id,
        "id_number": entry.person.id_number, "name": entry.person.name, "year": entry.year,
        "subject": entry.subject, "hours": entry.hours, "source": entry.source,
        "plan": entry.plan.filing_no if entry.plan else None,
        "certified_at": timezone.localtime(entry.created_at), "authority": entry.authority.name,
        "authority_division": entry.authority.division_id,
    }


@router.get("/ledger/changes", response={200: LedgerChangesOut, **ERRORS}, url_name="ledger_changes",
            summary="学时台账变更流（游标之后，按可见顺序，每条恰好一次）")
def ledger_changes(request, after: str | None = None, limit: int = Query(500, ge=1, le=1000)):
    client = client_of(request, "ledger")
    entries, cursor = feed_read(division=client.organisation.division, after=after, limit=limit)
    return {"entries": [entry_out(e) for e in entries], "cursor": cursor}


@router.get("/persons/{id_number}/hours", response={200: PersonHoursOut, **ERRORS}, url_name="person_hours",
            summary="某人已核定学时（按年度、科目汇总，附明细）")
def person_hours(request, id_number: str, year: int | None = Query(None, ge=1900, le=2200)):
    client = client_of(request, "ledger")
    person = Person.objects.filter(id_number=normalise_id_number(id_number)).first()
    scope = Q(authority__division__path__startswith=client.organisation.division.path)
    entries = list(entries_query().filter(scope, person=person).order_by("year", "pk")) if person else []
    if not entries:
        raise ApiProblem(404, "未找到该人员在本单位辖区内核定的学时记录。")
    if year is not None:
        entries = [e for e in entries if e.year == year]
    years: dict[int, dict] = {}
    for entry in entries:
        row = years.setdefault(entry.year, {"year": entry.year, "public": 0, "professional": 0, "total": 0})
        row[entry.subject] += entry.hours
        row["total"] += entry.hours
    return {"id_number": person.id_number, "name": person.name, "years": list(years.values()),
            "entries": [entry_out(e) for e in entries]}


@router.post("/eligibility", response={200: dict, **ERRORS}, url_name="eligibility",
             summary="学时审验（输入输出同 eligibility 契约）")
def eligibility(request, payload: Body[dict]):
    client_of(request, "ledger")
    try:
        return eligibility_check(payload=json.loads(request.body))
    except EligibilityInputError as problem:
        raise ApiProblem(400, f"输入有误：{problem}", [error_row(None, None, str(problem))]) from None

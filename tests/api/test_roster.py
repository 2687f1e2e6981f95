"""PUT roster: the spreadsheet's checks and words, rows as JSON, all or nothing, dry run."""

import re

import pytest

from filings.models import RosterEntry
from filings.roster.columns import BY_HEADER, COLUMNS, FIRST_DATA_ROW
from filings.roster.services import roster_import
from tests.api.conftest import own_plan
from tests.filings.test_roster_support import person, roster_bytes, to_awaiting_report

KEYS = [c.key for c in COLUMNS]


def as_json(values: list) -> dict:
    row = dict(zip(KEYS, values, strict=True))
    row.pop("seq")
    return row


@pytest.fixture
def plan(owner, reviewer):
    return to_awaiting_report(own_plan(owner), owner, reviewer)


def position(sheet_row: int) -> int:
    """The workbook's row number as the 1-based position in the request's list."""
    return sheet_row - FIRST_DATA_ROW + 1


def put(call, plan, rows, query=""):
    return call("PUT", f"plans/{plan.filing_no}/roster{query}", {"rows": rows})


def test_it_imports_the_rows(call, plan):
    response = put(call, plan, [as_json(person(n)) for n in range(1, 4)])
    assert response.status_code == 200 and response.json() == {"imported": 3, "anomalies": 0, "checked": 3,
                                                                "dry_run": False}
    assert list(plan.roster.values_list("seq", "name", "sex")) == [(1, "学员1", "M"), (2, "学员2", "F"), (3, "学员3", "M")]


def test_dry_run_checks_only(call, plan):
    response = put(call, plan, [as_json(person(1))], "?dry_run=true")
    assert response.status_code == 200 and response.json()["imported"] == 0 and response.json()["checked"] == 1
    assert not RosterEntry.objects.exists()


def test_the_same_rows_give_the_spreadsheets_errors_in_the_same_words(call, plan):
    rows = [person(1), person(2, sex="男"), person(3, id_number="150404198506120001"), person(4, hours=99),
            person(5, subject="公需科目"), person(6, name=""), person(7, id_number=person(1)[3])]
    sheet = roster_import(plan=plan, content=roster_bytes(plan, rows))
    response = put(call, plan, [as_json(r) for r in rows])
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    got = [(e["row"], e["field"], e["message"]) for e in response.json()["errors"]]
    expected = [(position(e["row"]), BY_HEADER[e["column"]].key,
                 re.sub(r"第(\d+)行", lambda m: f"第{position(int(m.group(1)))}行", e["message"])) for e in sheet.errors]
    assert got == expected and len(got) == 6
    assert not RosterEntry.objects.exists()


def test_over_the_planned_headcount_it_asks_for_confirmation(call, plan):
    plan.__class__.objects.filter(pk=plan.pk).update(planned_headcount=1)
    rows = [as_json(person(n)) for n in (1, 2)]
    response = put(call, plan, rows)
    assert response.status_code == 422 and "confirm_headcount=true" in response.json()["detail"]
    assert put(call, plan, rows, "?confirm_headcount=true").json()["imported"] == 2


def test_a_roster_before_the_training_ended_is_409(call, owner):
    draft = own_plan(owner)
    assert put(call, draft, [as_json(person(1))]).status_code == 409


def test_wrong_types_are_400(call, plan):
    response = put(call, plan, [as_json(person(1)) | {"hours": "twenty"}])
    assert response.status_code == 400 and response.json()["errors"][0] == {
        "row": 1, "field": "hours", "message": response.json()["errors"][0]["message"]}
    assert put(call, plan, [as_json(person(1)) | {"id_number": 150404198506120011}]).status_code == 400


def test_rosters_scope_and_organisation(client, plan, outsider_call, owner_org):
    from tests.api.conftest import Caller, make_client

    plans_only = Caller(client, make_client(owner_org, scopes=["plans"])[1])
    assert put(plans_only, plan, [as_json(person(1))]).status_code == 403
    assert put(outsider_call, plan, [as_json(person(1))]).status_code == 403
    assert not RosterEntry.objects.exists()

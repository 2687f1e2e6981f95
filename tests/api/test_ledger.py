"""The change feed, one person's hours, and eligibility for ledger clients."""

import io
import json

import pytest
from django.core.management import call_command

from ledger.models import HourEntry
from tests.api.conftest import Caller, make_client
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import certified_plan
from tests.rules.support import payload, years


@pytest.fixture
def ledger_call(client, region_bureau):
    return Caller(client, make_client(region_bureau, scopes=["ledger"], name="人才信息库")[1])


def follow(caller, limit=2, after=None):
    seen, cursor = [], after
    while True:
        body = caller("GET", f"ledger/changes?limit={limit}" + (f"&after={cursor}" if cursor else "")).json()
        if not body["entries"]:
            return seen, body["cursor"]
        seen += body["entries"]
        cursor = body["cursor"]


def test_the_feed_gives_every_entry_once_and_stops_at_the_end(ledger_call, owner, reviewer):
    plan = certified_plan(owner, reviewer, trainees=5)
    seen, cursor = follow(ledger_call)
    assert [e["entry_id"] for e in seen] == list(HourEntry.objects.order_by("pk").values_list("pk", flat=True))
    first = seen[0]
    assert first["kind"] == "credit" and first["plan"] == plan.filing_no and first["authority"] == "赤峰市人社局"
    assert first["authority_division"] == "150400" and first["certified_at"].endswith("+08:00")
    again = ledger_call("GET", f"ledger/changes?after={cursor}").json()
    assert again == {"entries": [], "cursor": cursor}
    more = certified_plan(owner, reviewer, trainees=2, title="第二期")
    later, _ = follow(ledger_call, after=cursor)
    assert [e["plan"] for e in later] == [more.filing_no] * 2


def test_reversals_are_in_the_feed_with_what_they_reverse(ledger_call, owner, reviewer, chifeng_bureau):
    from ledger.services import amendment_approve, amendment_request

    certified_plan(owner, reviewer, trainees=1)
    entry = HourEntry.objects.get()
    request = amendment_request(entry=entry, actor=owner, new_hours=10, reason="签到不全")
    amendment_approve(request=request, actor=UserFactory(role="reviewer", organisation=chifeng_bureau))
    seen, _ = follow(ledger_call, limit=500)
    assert [(e["kind"], e["reverses"], e["hours"]) for e in seen] == [
        ("credit", None, 24), ("reversal", entry.pk, -24), ("credit", None, 10)]


def test_a_league_client_sees_its_division_only(client, owner, reviewer, ordos_bureau):
    certified_plan(owner, reviewer, trainees=2)
    ordos = Caller(client, make_client(ordos_bureau, scopes=["ledger"])[1])
    chifeng = Caller(client, make_client(OrganisationFactory(name="赤峰市职称办", kind="title_office",
                                                             division=division("150400")), scopes=["ledger"])[1])
    assert follow(ordos)[0] == [] and len(follow(chifeng)[0]) == 2


def test_the_feed_checks_scope_limit_and_cursor(call, ledger_call, client, owner_org, chifeng_bureau):
    plans_only = Caller(client, make_client(owner_org, scopes=["plans"])[1])
    assert plans_only("GET", "ledger/changes").status_code == 403
    assert ledger_call("GET", "ledger/changes?limit=1001").status_code == 400
    assert ledger_call("GET", "ledger/changes?limit=0").status_code == 400
    assert ledger_call("GET", "ledger/changes?after=%%%").status_code == 400


def test_a_persons_hours_by_year_and_subject(ledger_call, owner, reviewer):
    certified_plan(owner, reviewer, trainees=1)
    person = HourEntry.objects.get().person
    body = ledger_call("GET", f"persons/{person.id_number}/hours").json()
    assert body["years"] == [{"year": 2026, "public": 0, "professional": 24, "total": 24}]
    assert len(body["entries"]) == 1 and body["entries"][0]["id_number"] == person.id_number
    assert ledger_call("GET", f"persons/{person.id_number}/hours?year=2025").json()["years"] == []
    assert ledger_call("GET", "persons/150404198506120011/hours").status_code == 404


def test_eligibility_answers_what_the_command_answers(ledger_call):
    data = payload(records=years(2024, 2025, 2026))
    response = ledger_call("POST", "eligibility", data)
    out = io.StringIO()
    source = io.StringIO(json.dumps(data))
    import sys

    saved, sys.stdin = sys.stdin, source
    try:
        call_command("eligibility", "--input", "-", stdout=out)
    finally:
        sys.stdin = saved
    assert response.status_code == 200 and response.json() == json.loads(out.getvalue())
    assert response.json()["results"][0]["eligible"] is True


def test_eligibility_input_errors_are_400_problems(ledger_call):
    response = ledger_call("POST", "eligibility", {"review": {"kind": "nonsense"}, "persons": []})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "输入有误" in response.json()["detail"]


def test_transmission_batches_are_slices_of_the_same_feed(ledger_call, owner, reviewer, chifeng_bureau):
    from ledger import transmission

    certified_plan(owner, reviewer, trainees=3)
    batch = transmission.batch_create(authority=chifeng_bureau, actor=reviewer)
    seen, _ = follow(ledger_call, limit=500)
    assert list(batch.entries.order_by("pk").values_list("pk", flat=True)) == [e["entry_id"] for e in seen]
    assert transmission.batch_mark_sent(batch=batch, actor=reviewer) is True

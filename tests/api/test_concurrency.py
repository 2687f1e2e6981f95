"""PostgreSQL: the change feed under concurrent certifications, and an idempotency key used twice at once."""

import threading

import pytest
from django.db import connection, transaction

from accounts.models import Role
from api.models import IdempotencyKey
from filings.models import RosterEntry, TrainingPlan
from ledger.models import HourEntry
from reviews import certification
from tests.api.conftest import Caller, make_client, plan_json
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import accepted_plan, id_number

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def ledger_token(region_bureau):
    return make_client(region_bureau, scopes=["ledger"], name="人才信息库")[1]


class Reader:
    """Follows the feed like the talent database: small pages, cursor after cursor."""

    def __init__(self, django_client, token):
        self.call, self.cursor, self.seen = Caller(django_client, token), None, []

    def read_to_end(self) -> list[int]:
        got = []
        while True:
            query = "ledger/changes?limit=3" + (f"&after={self.cursor}" if self.cursor else "")
            body = self.call("GET", query).json()
            if not body["entries"]:
                self.cursor = body["cursor"]
                return got
            got += [e["entry_id"] for e in body["entries"]]
            self.cursor = body["cursor"]
            self.seen += [e["entry_id"] for e in body["entries"]]


def own_people(plan: TrainingPlan, batch: int) -> TrainingPlan:
    """Trainees nobody else has, so that certifications do not wait on each other's new Person rows."""
    for row in RosterEntry.objects.filter(plan=plan):
        RosterEntry.objects.filter(pk=row.pk).update(id_number=id_number(row.seq, birth=f"19{70 + batch}0101"))
    return plan


def organiser(n: int):
    """Another organiser each: certification locks the plan with its organiser row (select_related)."""
    org = OrganisationFactory(name=f"赤峰培训机构{n}", division=division("150402"))
    return UserFactory(username=f"organiser{n}", role=Role.ORGANISER, organisation=org)


def test_an_entry_committed_after_a_later_id_is_not_skipped(client, ledger_token, owner, reviewer):
    """A writes (lower ids) and waits; B writes (higher ids) and commits; the reader must not pass A."""
    first = own_people(accepted_plan(owner, reviewer, trainees=2), 1)
    second = own_people(accepted_plan(organiser(2), reviewer, trainees=2, title="第二期"), 2)
    reader = Reader(client, ledger_token)
    written, release, errors = threading.Event(), threading.Event(), []

    def slow_certification():
        try:
            with transaction.atomic():
                certification.certify_hours(plan=first, actor=reviewer)
                written.set()
                release.wait(timeout=30)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_certification)
    thread.start()
    assert written.wait(timeout=30)
    certification.certify_hours(plan=second, actor=reviewer)  # commits while the first is still open
    later_ids = set(HourEntry.objects.filter(plan=second).values_list("pk", flat=True))
    assert reader.read_to_end() == []  # the second's rows wait behind the open first transaction
    release.set()
    thread.join()
    assert not errors
    first_ids = set(HourEntry.objects.filter(plan=first).values_list("pk", flat=True))
    assert max(first_ids) < min(later_ids)
    got = reader.read_to_end()
    assert sorted(got) == sorted(first_ids | later_ids) and len(got) == len(set(got))


def test_concurrent_certifications_are_each_read_exactly_once(client, ledger_token, owner, reviewer):
    plans = [own_people(accepted_plan(organiser(n), reviewer, trainees=3, title=f"第{n}期"), n) for n in range(6)]
    reader = Reader(client, ledger_token)
    start, errors = threading.Barrier(len(plans) + 1), []

    def certify(plan):
        try:
            start.wait(timeout=30)
            certification.certify_hours(plan=plan, actor=reviewer)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=certify, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    start.wait(timeout=30)
    while any(thread.is_alive() for thread in threads):
        reader.read_to_end()
    for thread in threads:
        thread.join()
    reader.read_to_end()
    assert not errors
    everything = list(HourEntry.objects.values_list("pk", flat=True))
    assert len(everything) == 18
    assert sorted(reader.seen) == sorted(everything) and len(reader.seen) == len(set(reader.seen))


def test_a_key_repeated_while_the_first_request_runs_is_409_across_connections(client, owner_org, chifeng_bureau,
                                                                               monkeypatch):
    from filings import services

    token = make_client(owner_org)[1]
    inside, release, answers = threading.Event(), threading.Event(), []
    real = services.plan_create

    def slow_create(**kwargs):
        inside.set()
        release.wait(timeout=30)
        return real(**kwargs)

    monkeypatch.setattr(services, "plan_create", slow_create)

    def first():
        from django.test import Client

        try:
            answers.append(Caller(Client(), token)("POST", "plans", plan_json(), key="same").status_code)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(timeout=30)
    running = Caller(client, token)("POST", "plans", plan_json(), key="same")
    release.set()
    thread.join()
    assert running.status_code == 409 and running["Retry-After"]
    assert answers == [201] and TrainingPlan.objects.count() == 1
    replay = Caller(client, token)("POST", "plans", plan_json(), key="same")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert IdempotencyKey.objects.get(key="same").status == 201


def test_a_transmission_batch_waits_for_the_feed_horizon(owner, reviewer, chifeng_bureau):
    """While an earlier certification is still open, a later committed one is not batched ahead of it."""
    from django.core.exceptions import ValidationError

    from ledger import transmission

    first = own_people(accepted_plan(owner, reviewer, trainees=2), 1)
    second = own_people(accepted_plan(organiser(2), reviewer, trainees=2, title="第二期"), 2)
    written, release = threading.Event(), threading.Event()

    def slow_certification():
        try:
            with transaction.atomic():
                certification.certify_hours(plan=first, actor=reviewer)
                written.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_certification)
    thread.start()
    assert written.wait(timeout=30)
    certification.certify_hours(plan=second, actor=reviewer)
    with pytest.raises(ValidationError):
        transmission.batch_create(authority=chifeng_bureau, actor=reviewer)
    release.set()
    thread.join()
    batch = transmission.batch_create(authority=chifeng_bureau, actor=reviewer)
    assert batch.entries.count() == 4

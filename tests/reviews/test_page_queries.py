"""Query counts of the review inbox and the spot-check campaign pages, pinned: the same number of
queries whatever the number of rows, and that number written down so that a new query shows here."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from filings import services
from reviews import late_exceptions
from reviews.spotchecks import draws
from tests.factories import UserFactory
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.reviews.test_spotcheck_draw import SEED, campaign_data, file_plans

pytestmark = pytest.mark.django_db

# Pinned from a run; when a change moves one, look at the captured queries and update it knowingly.
INBOX_QUERIES = 10  # one page of tasks of every kind (the tasks, their count, the league choices) and the shell
CAMPAIGN_LIST_QUERIES = 10  # the paginator's COUNT (issue 17: paged, no silent [:200])
CAMPAIGN_DETAIL_QUERIES = 15  # one more since strata show division names, not codes


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def submit(owner, reviewer, count, *, claim=False):
    for _ in range(count):
        plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
        services.plan_submit(plan=plan, actor=owner, now=NOW)
        if claim:
            services.plan_claim(plan=plan, actor=reviewer)


def ask_late(owner, count):
    for _ in range(count):
        plan = services.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=5)),
                                    teachers=TEACHERS, now=NOW)
        late_exceptions.late_exception_request(plan=plan, actor=owner, reason="临时任务", now=NOW)


def test_the_review_inbox_takes_a_fixed_number_of_queries(client, owner, reviewer):
    client.force_login(reviewer)
    submit(owner, reviewer, 1, claim=True)
    submit(owner, reviewer, 1)
    ask_late(owner, 1)
    few = queries_for(client, reverse("reviews:inbox"))
    submit(owner, reviewer, 4, claim=True)
    submit(owner, reviewer, 4)
    ask_late(owner, 4)
    assert (few, queries_for(client, reverse("reviews:inbox"))) == (INBOX_QUERIES, INBOX_QUERIES)


@pytest.fixture
def pool(inspector, region_bureau):
    return [inspector] + [UserFactory(role=Role.INSPECTOR, organisation=region_bureau) for _ in range(7)]


@pytest.fixture
def trainings(owner, reviewer):
    plans = file_plans(owner, reviewer, 8)
    services.plans_advance_by_clock(now=NOW + dt.timedelta(days=40))
    return plans


def drawn_campaign(inspector, quota: int):
    data = campaign_data(strata_quota={"150404": quota}, random_share="0", name=f"抽查{quota}")
    campaign, _ = draws.campaign_create(actor=inspector, data=data, seed=SEED)
    draws.campaign_draw(campaign=campaign, actor=inspector, seed=SEED, now=NOW + dt.timedelta(days=41))
    campaign.refresh_from_db()
    return campaign


def test_the_campaign_pages_take_a_fixed_number_of_queries(client, inspector, pool, trainings):
    client.force_login(inspector)
    small = drawn_campaign(inspector, 1)
    counts = [queries_for(client, reverse("spotchecks:campaign_list")),
              queries_for(client, reverse("spotchecks:campaign_detail", args=[small.pk]))]
    large = drawn_campaign(inspector, 5)
    assert large.draws.get().selections.count() > small.draws.get().selections.count()
    counts += [queries_for(client, reverse("spotchecks:campaign_list")),
               queries_for(client, reverse("spotchecks:campaign_detail", args=[large.pk]))]
    assert counts == [CAMPAIGN_LIST_QUERIES, CAMPAIGN_DETAIL_QUERIES] * 2


def test_the_campaign_list_searches_filters_and_exports(client, inspector, pool, trainings):
    import io

    from openpyxl import load_workbook

    client.force_login(inspector)
    first, second = drawn_campaign(inspector, 1), drawn_campaign(inspector, 2)
    url = reverse("spotchecks:campaign_list")
    body = client.get(url, {"q": second.name}).content.decode()
    assert second.name in body and first.name not in body
    assert first.name not in client.get(url, {"state": "open"}).content.decode()
    assert first.name in client.get(url, {"state": "drawn"}).content.decode()
    response = client.get(url, {"state": "drawn", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "批次名称" and {r[0] for r in rows[1:]} == {first.name, second.name}

"""The one inbox: every kind of authority task lands in the queue of the right authority and nowhere
else; claiming works for every kind; the page filters by kind and league, sorts by deadline and pages
with a pinned number of queries; the home page counts per kind."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from filings import services
from ledger.models import HourEntry
from ledger.services import amendment_approve, amendment_request
from ledger.services.applications import circumstance_record, credit_apply
from reviews import certification, late_exceptions
from reviews.home import review_counts
from tests.factories import UserFactory
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.applications_support import (
    circumstance,
    employer,
    evidence,
    exam,
    hr_user,
    person_of_employer,
)
from tests.ledger.support import accepted_plan, certified_plan, reported_plan
from workflows.selectors import authority_tasks_for
from workflows.services import inbox_task_claim, inbox_task_release
from workflows.task_kinds import kind_of, task_kinds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def colleague(chifeng_bureau):
    return UserFactory(username="colleague", role=Role.REVIEWER, organisation=chifeng_bureau)


def kinds_of(user) -> list[str]:
    return sorted(kind_of(t.process.flow_class, t.process.artifact_content_type.model).code
                  for t in authority_tasks_for(user))


def one_of_each_kind_but_violation(owner, reviewer, professional, chifeng_bureau):
    """A plan submitted, a late-filing request, a report, a certification, a credit application, a
    circumstance record and an amendment, all for the Chifeng bureau."""
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    late = services.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=5)),
                                teachers=TEACHERS, now=NOW)
    late_exceptions.late_exception_request(plan=late, actor=owner, reason="上级临时部署", now=NOW)
    reported_plan(owner, reviewer)
    accepted_plan(owner, reviewer)
    certified = certified_plan(owner, reviewer)
    entry = HourEntry.objects.filter(plan=certified).order_by("pk").first()
    amendment_request(entry=entry, actor=owner, new_hours=entry.hours - 1, reason="签到表核对有误")
    hospital = employer()
    doctor = person_of_employer(hospital, user=professional, seq=9)
    credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    circumstance_record(person=doctor, actor=hr_user(hospital), data=circumstance(), evidence=evidence())


ALL_BUT_VIOLATION = sorted(k.code for k in task_kinds() if k.code != "violation")


def test_each_kind_waits_in_the_authoritys_queue_and_nowhere_else(owner, reviewer, professional, chifeng_bureau,
                                                                  reviewer_other_league, region_reviewer):
    one_of_each_kind_but_violation(owner, reviewer, professional, chifeng_bureau)
    assert kinds_of(reviewer) == ALL_BUT_VIOLATION
    assert kinds_of(reviewer_other_league) == [] and kinds_of(region_reviewer) == [] and kinds_of(owner) == []


def test_an_authority_never_sees_its_own_organisations_filing(owner, reviewer, chifeng_bureau):
    """A bureau that organises a training itself does not decide it in its own inbox."""
    bureau_organiser = UserFactory(username="bureau_org", role=Role.ORGANISER, organisation=chifeng_bureau)
    own = services.plan_create(actor=bureau_organiser, data=plan_data(), teachers=TEACHERS, now=NOW)
    if own.authority_id == chifeng_bureau.pk:
        services.plan_submit(plan=own, actor=bureau_organiser, now=NOW)
        assert kinds_of(reviewer) == []


def test_the_report_and_certification_tasks_follow_the_plan(owner, reviewer, colleague):
    plan = reported_plan(owner, reviewer)
    assert kinds_of(reviewer) == ["report_review"]
    task = authority_tasks_for(reviewer).get()
    inbox_task_claim(task_id=task.pk, actor=colleague)
    with pytest.raises(ValidationError, match="已由"):
        certification.report_accept(plan=plan, actor=reviewer)
    plan.refresh_from_db()
    assert plan.state == "reported"
    certification.report_accept(plan=plan, actor=colleague)
    assert kinds_of(reviewer) == ["certification"]
    certification.certify_hours(plan=plan, actor=reviewer)  # unclaimed: claimed and completed in one go
    assert kinds_of(reviewer) == []


def test_a_returned_report_closes_its_task_and_a_new_submission_opens_one(owner, reviewer):
    plan = reported_plan(owner, reviewer)
    certification.report_return(plan=plan, actor=reviewer, reason="缺少签到表")
    assert kinds_of(reviewer) == []


def test_an_amendment_held_by_a_colleague_is_refused_to_another(owner, reviewer, colleague):
    certified = certified_plan(owner, reviewer)
    entry = HourEntry.objects.filter(plan=certified).order_by("pk").first()
    request = amendment_request(entry=entry, actor=owner, new_hours=entry.hours - 1, reason="签到表核对有误")
    task = authority_tasks_for(reviewer).get()
    inbox_task_claim(task_id=task.pk, actor=colleague)
    with pytest.raises(ValidationError, match="已由"):
        amendment_approve(request=request, actor=reviewer)
    assert not HourEntry.objects.filter(kind="reversal").exists()
    with pytest.raises(PermissionDenied):
        inbox_task_release(task_id=task.pk, actor=reviewer)
    inbox_task_release(task_id=task.pk, actor=colleague)
    amendment_approve(request=request, actor=reviewer)
    assert HourEntry.objects.filter(kind="reversal").count() == 1 and kinds_of(reviewer) == []


def test_only_the_authoritys_reviewers_claim_from_the_inbox(owner, reviewer, reviewer_other_league):
    reported_plan(owner, reviewer)
    task = authority_tasks_for(reviewer).get()
    with pytest.raises(PermissionDenied):
        inbox_task_claim(task_id=task.pk, actor=reviewer_other_league)
    assert inbox_task_claim(task_id=task.pk, actor=reviewer).owner == reviewer


def test_the_page_filters_by_kind_and_league_and_the_home_page_counts(client, owner, reviewer, professional,
                                                                      chifeng_bureau):
    one_of_each_kind_but_violation(owner, reviewer, professional, chifeng_bureau)
    client.force_login(reviewer)
    body = client.get(reverse("reviews:inbox"), {"kind": "late_exception"}).content.decode()
    assert "上级临时部署" in body and "共 1 条" in body
    assert "共 1 条" in client.get(reverse("reviews:inbox"), {"kind": "amendment"}).content.decode()
    assert f"共 {len(ALL_BUT_VIOLATION)} 条" in client.get(reverse("reviews:inbox"), {"league": "150400"}).content.decode()
    assert "共 0 条" in client.get(reverse("reviews:inbox"), {"league": "150600"}).content.decode()
    counts = {panel["url"].split("kind=")[1]: panel["count"] for panel in review_counts(reviewer)}
    assert counts == {code: 1 for code in [k.code for k in task_kinds()] if code != "violation"}  # none: not shown


def test_the_page_sorts_by_deadline_and_shows_what_is_overdue(client, owner, reviewer):
    soon = services.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=20),
                                                             title="较早开始的培训"), teachers=TEACHERS, now=NOW)
    later = services.plan_create(actor=owner, data=plan_data(starts_at=NOW + dt.timedelta(days=40),
                                                              title="较晚开始的培训"), teachers=TEACHERS, now=NOW)
    for plan in (later, soon):
        services.plan_submit(plan=plan, actor=owner, now=NOW)
    client.force_login(reviewer)
    body = client.get(reverse("reviews:inbox")).content.decode()
    assert body.index("较早开始的培训") < body.index("较晚开始的培训")
    body = client.get(reverse("reviews:inbox"), {"sort": "-due"}).content.decode()
    assert body.index("较晚开始的培训") < body.index("较早开始的培训")
    with time_machine.travel(NOW + dt.timedelta(days=25), tick=False):
        overdue = client.get(reverse("reviews:inbox"), {"deadline": "overdue"}).content.decode()
    assert "较早开始的培训" in overdue and "较晚开始的培训" not in overdue and "只能不予备案" in overdue


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("reviews:inbox"), params or {}).status_code == 200
    return len(ctx)


# Pinned: the same for 3 tasks and for 60 (more than a page); filtering by league looks the league up once.
INBOX_PAGE_QUERIES, FILTERED_PAGE_QUERIES = 10, 11


def test_the_inbox_pages_and_filters_with_a_pinned_number_of_queries(client, owner, reviewer):
    client.force_login(reviewer)
    for n in range(3):
        services.plan_submit(plan=services.plan_create(actor=owner, data=plan_data(title=f"培训{n}"),
                                                       teachers=TEACHERS, now=NOW), actor=owner, now=NOW)
    few = (_queries(client), _queries(client, {"kind": "plan_review", "league": "150400", "sort": "waiting"}))
    for n in range(3, 60):
        services.plan_submit(plan=services.plan_create(actor=owner, data=plan_data(title=f"培训{n}"),
                                                       teachers=TEACHERS, now=NOW), actor=owner, now=NOW)
    many = (_queries(client), _queries(client, {"kind": "plan_review", "league": "150400", "sort": "waiting"}))
    assert few == many == (INBOX_PAGE_QUERIES, FILTERED_PAGE_QUERIES)
    last = client.get(reverse("reviews:inbox"), {"page": 2}).content.decode()
    assert "共 60 条" in last and "第 2/2 页" in last


def test_a_task_about_no_organiser_still_reaches_the_authority(professional, reviewer, colleague, chifeng_bureau):
    """An amendment of hours credited from an application (no training, so no organiser to leave out)."""
    from ledger.services.applications import application_approve

    doctor = person_of_employer(employer(), user=professional, seq=9)
    application = credit_apply(person=doctor, actor=professional, data=exam(), evidence=evidence())
    application_approve(application=application, actor=reviewer)
    entry = HourEntry.objects.get(plan__isnull=True)
    amendment_request(entry=entry, actor=reviewer, new_hours=entry.hours + 1, reason="证书学时核对有误")
    task = authority_tasks_for(colleague).get()
    assert task.process.data["organiser_id"] is None and kinds_of(colleague) == ["amendment"]


def test_the_filtered_inbox_exports_to_excel(client, owner, reviewer):
    from io import BytesIO

    from openpyxl import load_workbook

    reported_plan(owner, reviewer)
    services.plan_submit(plan=services.plan_create(actor=owner, data=plan_data(title="待审核的计划"),
                                                   teachers=TEACHERS, now=NOW), actor=owner, now=NOW)
    client.force_login(reviewer)
    response = client.get(reverse("reviews:inbox"), {"kind": "report_review", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:3] == ("类别", "事项", "备案编号") and len(rows) == 2 and rows[1][0] == "培训报告审核"


def test_the_certification_page_says_who_holds_the_task(client, owner, reviewer, colleague):
    plan = accepted_plan(owner, reviewer)
    inbox_task_claim(task_id=authority_tasks_for(reviewer).get().pk, actor=colleague)
    client.force_login(reviewer)
    page = client.get(reverse("certification:plan_certification", args=[plan.pk])).content.decode()
    assert f"本事项已由 {colleague} 在审核待办中接手，只有接手人可以处理" in page

"""PlanRiskFacts: kept by the services at the transitions that change a fact, equal to the facts recomputed
from the exception, report and roster rows (the aggregate the spot-check freeze ran before the table)."""

import datetime as dt

import pytest
from django.db.models import Count, Exists, Max, OuterRef, Q

from filings import reports, services
from filings.models import LateFilingException, PlanRiskFacts, TrainingPlan, TrainingReport
from filings.risk_facts import plan_risk_facts_refresh
from filings.roster.services import roster_import
from tests.filings.conftest import NOW
from tests.filings.test_roster_support import person, roster_bytes, to_awaiting_report
from tests.ledger.support import add_roster, plan_awaiting_report, upload_required

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
FIELDS = ("has_late_exception", "report_late", "roster_count", "anomaly_count", "max_roster_hours")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def reference() -> dict[int, tuple]:
    """Every plan's facts by the aggregate query the freeze used to run."""
    rows = TrainingPlan.objects.annotate(
        has_late_exception=Exists(LateFilingException.objects.filter(plan=OuterRef("pk"))),
        report_late=Exists(TrainingReport.objects.filter(plan=OuterRef("pk"), late_days__gt=0)),
        roster_count=Count("roster"), anomaly_count=Count("roster", filter=~Q(roster__anomaly="")),
        max_roster_hours=Max("roster__hours"),
    ).values_list("pk", *FIELDS)
    return {pk: (*facts[:4], facts[4] or 0) for pk, *facts in rows}


def stored() -> dict[int, tuple]:
    kept = {row[0]: tuple(row[1:]) for row in PlanRiskFacts.objects.values_list("plan_id", *FIELDS)}
    return {pk: kept.get(pk, (False, False, 0, 0, 0)) for pk in TrainingPlan.objects.values_list("pk", flat=True)}


def test_a_late_filing_exception_is_a_fact_at_once(make_plan, reviewer):
    plan = make_plan(starts_at=NOW + dt.timedelta(days=5))
    services.plan_grant_late_exception(plan=plan, actor=reviewer, reason="防汛应急培训，时间紧急")
    assert PlanRiskFacts.objects.get(plan=plan).has_late_exception
    assert stored() == reference()


def test_a_roster_import_and_a_reimport_keep_the_roster_facts(make_plan, owner, reviewer):
    other = to_awaiting_report(make_plan(), owner, reviewer)  # the same trainee on an overlapping training
    roster_import(plan=other, content=roster_bytes(other, [person(1)]))
    plan = to_awaiting_report(make_plan(), owner, reviewer)
    roster_import(plan=plan, content=roster_bytes(plan, [person(1), person(2, hours=20), person(3)]))
    assert PlanRiskFacts.objects.filter(plan=plan).values_list(*FIELDS).get() == (False, False, 3, 1, 24)
    roster_import(plan=plan, content=roster_bytes(plan, [person(2, hours=20), person(4, hours=12)]))
    assert PlanRiskFacts.objects.filter(plan=plan).values_list(*FIELDS).get() == (False, False, 2, 0, 20)
    assert stored() == reference()


def test_a_late_report_is_a_fact_when_it_is_submitted(owner, reviewer):
    plan = plan_awaiting_report(owner, reviewer)
    add_roster(plan)
    upload_required(plan, owner)
    late = dt.datetime.combine(reports.report_due_date(plan) + dt.timedelta(days=3), dt.time(9), tzinfo=SHANGHAI)
    reports.report_submit(plan=plan, actor=owner, now=late)
    facts = PlanRiskFacts.objects.get(plan=plan)
    assert facts.report_late and facts.roster_count == plan.roster.count() > 0
    assert stored() == reference()


def test_refreshing_every_plan_recomputes_what_was_written_around_the_services(make_plan, owner, reviewer):
    plan = to_awaiting_report(make_plan(), owner, reviewer)
    add_roster(plan)
    LateFilingException.objects.create(plan=plan, granted_by=reviewer, reason="直接写入")
    assert stored() != reference()
    plan_risk_facts_refresh()
    assert stored() == reference()
    assert stored()[plan.pk][0] is True

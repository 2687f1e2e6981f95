"""Each app registers its own deadline sources; their dates come from the functions that define them."""

import pytest

from filings import reports
from filings.services import last_filing_moment
from notifications.deadlines import source_for, sources
from notifications.deadlines.context import SweepContext
from rules.models import RuleSet
from tests.notifications.conftest import at


def test_each_source_lives_in_the_app_that_owns_its_deadline():
    owners = {s.kind: s.collect.__module__ for s in sources()}
    assert owners == {
        "annual": "rules.deadlines", "authority_task": "workflows.deadlines", "hours_shortfall": "ledger.deadlines",
        "plan_filing": "filings.deadlines", "plan_review": "filings.deadlines", "report_due": "filings.deadlines",
        "plan_revision": "filings.deadlines", "report_revision": "filings.deadlines",
        "spotcheck_rectify": "reviews.spotchecks.deadlines",
    }


def test_the_filing_deadline_is_the_plans_last_filing_moment(draft_plan):
    (deadline,) = source_for("plan_filing").collect(SweepContext(at(3, 1)), at(3, 1), at(3, 31))
    assert deadline.due_at == last_filing_moment(draft_plan)
    assert deadline.action == "请在截止前提交培训计划备案（培训前两周）。"


def test_the_reminder_words_follow_the_rule_sets_lead_time(draft_plan):
    region = RuleSet.objects.get(issuer__parent__isnull=True, effective_to__isnull=True)
    region.params["plan_lead_days"] = 10
    region.save(update_fields=["params"])
    (deadline,) = source_for("plan_filing").collect(SweepContext(at(3, 1)), at(3, 1), at(3, 31))
    assert deadline.due_at == last_filing_moment(draft_plan) == draft_plan.starts_at - (at(3, 11) - at(3, 1))
    assert deadline.action == "请在截止前提交培训计划备案（培训前10天）。"


@pytest.mark.parametrize("report_days,words", [(14, "两周"), (21, "三周")])
def test_the_report_deadline_is_report_due_at_and_its_words_follow_the_rule(
        draft_plan, owner, reviewer, report_days, words):
    from filings import services

    region = RuleSet.objects.get(issuer__parent__isnull=True, effective_to__isnull=True)
    region.params["report_days"] = report_days
    region.save(update_fields=["params"])
    plan = services.plan_submit(plan=draft_plan, actor=owner, now=at(3, 1))
    plan = services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=at(3, 1))
    services.plans_advance_by_clock(now=plan.ends_at)
    ctx = SweepContext(plan.ends_at)
    (deadline,) = source_for("report_due").collect(ctx, plan.ends_at, plan.ends_at + (at(5, 1) - at(3, 1)))
    assert deadline.due_at == reports.report_due_at(plan)
    assert deadline.action == f"请在培训结束后{words}内上传培训情况报告和培训花名册。"

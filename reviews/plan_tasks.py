"""The authority tasks of a plan after its review: the report (报告待审核) and the certification (待核定学时).

The plan's state is the source of truth: a task opens when the plan enters the state that waits for
the authority and closes when it leaves it, in the transition's transaction (`plan_transition` calls
`plan_tasks_follow`). Leaving with an actor completes the task in their name, which claims it first and
is refused when a colleague holds it; the clock (no actor) cancels it.
"""

from __future__ import annotations

from filings.models import PlanState
from reviews.flows import CertificationFlow, ReportReviewFlow
from workflows.services import task_complete, task_open

PLAN_TASK_FLOWS = {PlanState.REPORTED: ReportReviewFlow, PlanState.REPORT_ACCEPTED: CertificationFlow}


def plan_tasks_follow(*, plan, from_state: str, actor) -> None:
    if (leaving := PLAN_TASK_FLOWS.get(from_state)) is not None:
        task_complete(artifact=plan, actor=actor, flow=leaving)
    if (entering := PLAN_TASK_FLOWS.get(plan.state)) is not None:
        task_open(flow=entering, artifact=plan)

"""Viewflow processes: who must act next on a filing, and the task inbox and queue.

The plan's FSM state stays the single source of truth for where a plan stands; the
process only records the human task (open in the authority's queue, claimed by one
reviewer, done or cancelled). Our services drive every step; no viewflow views are mounted.
"""

from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock


def open_plan_task(request, **kwargs):
    """Viewflow needs a view per human task; ours lives on the plan page."""
    task = kwargs.get("task")
    return redirect("filings:plan_detail", pk=task.process.artifact_object_id)


class PlanReviewFlow(flow.Flow):
    """培训计划审核: submitted → one review task for the plan's authority → decided."""

    process_title = "培训计划审核"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_review).Annotation(title="提交审核").Next(this.review)
    review = flow.View(open_plan_task).Annotation(title="审核").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def start_review(self, activation, plan):
        activation.process.artifact = plan
        activation.process.data = {"authority_id": plan.authority_id, "filing_no": plan.filing_no}
        return activation.process

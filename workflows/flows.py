"""Viewflow processes: who must act next on a filing, and the task inbox and queue.

The plan's FSM state stays the single source of truth for where a plan stands; the
process only records the human task (open in the authority's queue, claimed by one
reviewer, done or cancelled). Our services drive every step; no viewflow views are mounted.
Each flow records the routing of its task (`common.task_routing.task_data`) when it starts.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect
from django.urls import reverse
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock

from common.task_routing import start_with_artifact, task_data
from jurisdiction.models import league_code_of


def open_plan_task(request, **kwargs):
    """Viewflow needs a view per human task; ours lives on the plan page."""
    task = kwargs.get("task")
    return redirect("filings:plan_detail", pk=task.process.artifact_object_id)


def plan_task_data(plan, *, due: dt.datetime | None, authority_id: int | None = None, url: str = "",
                   title: str = "") -> dict:
    """The routing of a task about a plan: its authority (or `authority_id`), never its own organiser."""
    return task_data(
        authority_id=authority_id or plan.authority_id, organiser_id=plan.organiser_id,
        organiser=plan.organiser.name, league=league_code_of(plan.organiser.division.path), due=due,
        title=title or plan.title, ref=plan.filing_no, url=url or reverse("filings:plan_detail", args=[plan.pk]),
    )


class PlanReviewFlow(flow.Flow):
    """培训计划审核: submitted → one review task for the plan's authority → decided."""

    process_title = "培训计划审核"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_review).Annotation(title="提交审核").Next(this.review)
    review = flow.View(open_plan_task).Annotation(title="审核").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def start_review(self, activation, artifact):
        return start_with_artifact(activation, artifact, plan_task_data(artifact, due=artifact.starts_at))

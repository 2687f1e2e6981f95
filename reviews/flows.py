"""Viewflow processes of decisions that wait for an authority, beside plan review (workflows.flows).

Like plan review, the process only records the human task (open in the authority's queue, claimed
by one reviewer, done); the object's own status is the source of truth and our services drive it.
Each flow records its task's routing (`workflows.flows.plan_task_data`) when it starts.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock

from common.task_routing import DECISION_WINDOW, start_with_artifact
from filings.reports import report_due_at
from workflows.flows import open_plan_task, plan_task_data

# How an inspection's confirmation task reads in the inbox, by outcome (reviews.models.Outcome values).
CONFIRM_TITLES = {"violation": "抽查违规待确认", "rectify": "责令整改结论待确认", "compliant": "合规结论待确认"}


def open_late_exception_task(request, **kwargs):
    """Viewflow needs a view per human task; ours is the review inbox."""
    return redirect("reviews:inbox")


def open_inspection_task(request, **kwargs):
    return redirect("reviews:inbox")


class LateExceptionFlow(flow.Flow):
    """逾期备案特批: requested by the organiser → one task for the plan's authority → granted or refused."""

    process_title = "逾期备案特批"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_request).Annotation(title="提出申请").Next(this.decide)
    decide = flow.View(open_late_exception_task).Annotation(title="审批").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def start_request(self, activation, artifact):
        plan = artifact.plan
        data = plan_task_data(plan, due=plan.starts_at, url=reverse("filings:plan_detail", args=[plan.pk]),
                              title=f"{plan.title}（逾期备案特批申请）")
        data["note"] = artifact.reason[:200]  # the organiser's reason, shown in the inbox beside the decision
        return start_with_artifact(activation, artifact, data)


class ReportReviewFlow(flow.Flow):
    """报告待审核: report submitted → one task for the plan's authority → accepted or returned."""

    process_title = "培训报告审核"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_review).Next(this.review)
    review = flow.View(open_plan_task).Next(this.end)
    end = flow.End()

    def start_review(self, activation, artifact):
        due = max(report_due_at(artifact), timezone.now()) + DECISION_WINDOW
        return start_with_artifact(activation, artifact, plan_task_data(artifact, due=due))


class CertificationFlow(flow.Flow):
    """待核定学时: report accepted → one task for the plan's certifying authority → certified."""

    process_title = "核定学时"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_certification).Next(this.certify)
    certify = flow.View(open_plan_task).Next(this.end)
    end = flow.End()

    def start_certification(self, activation, artifact):
        from reviews.certification import plan_certifying_authority_id

        data = plan_task_data(artifact, due=timezone.now() + DECISION_WINDOW,
                              authority_id=plan_certifying_authority_id(artifact),
                              url=reverse("certification:plan_certification", args=[artifact.pk]))
        return start_with_artifact(activation, artifact, data)


class ViolationConfirmFlow(flow.Flow):
    """检查结论确认: an inspection is recorded → one task for the campaign's authority → confirmed by a second
    person (a violation then reverses hours and marks the organiser)."""

    process_title = "抽查结论确认"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_confirmation).Next(this.confirm)
    confirm = flow.View(open_inspection_task).Next(this.end)
    end = flow.End()

    def start_confirmation(self, activation, artifact):
        selection = artifact.selection
        data = plan_task_data(selection.plan, due=timezone.now() + DECISION_WINDOW,
                              authority_id=selection.draw.campaign.authority_id,
                              url=reverse("spotchecks:selection_detail", args=[selection.pk]),
                              title=f"{selection.plan.title}（{CONFIRM_TITLES.get(artifact.outcome, '检查结论待确认')}）")
        return start_with_artifact(activation, artifact, data)

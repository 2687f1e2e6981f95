"""The review task of a credit application or a circumstance record (学时认定审核).

As with plans (workflows/flows.py), the application's FSM state is the single source of truth; the
process only records the human task waiting in the queue of the authority, claimed by one reviewer.
Our services drive every step; no viewflow views are mounted.
"""

from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock


def open_application_task(request, **kwargs):
    """Viewflow needs a view per human task; ours is the application's page."""
    task = kwargs.get("task")
    process = task.process
    kind = "credit" if process.artifact_content_type.model == "creditapplication" else "circumstance"
    return redirect("ledger:application_detail", kind=kind, pk=process.artifact_object_id)


class ApplicationReviewFlow(flow.Flow):
    """学时认定审核: submitted → one review task for the authority of the person's employer → decided."""

    process_title = "学时认定审核"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_review).Annotation(title="提交申请").Next(this.review)
    review = flow.View(open_application_task).Annotation(title="审核").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def start_review(self, activation, application):
        activation.process.artifact = application
        activation.process.data = {"authority_id": application.authority_id}
        return activation.process

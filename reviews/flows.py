"""Viewflow processes of decisions that wait for an authority, beside plan review (workflows.flows).

Like plan review, the process only records the human task (open in the authority's queue, claimed
by one reviewer, done); the request's own status is the source of truth and our services drive it.
"""

from django.shortcuts import redirect
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock


def open_late_exception_task(request, **kwargs):
    """Viewflow needs a view per human task; ours is the review inbox."""
    return redirect("reviews:inbox")


class LateExceptionFlow(flow.Flow):
    """逾期备案特批: requested by the organiser → one task for the plan's authority → granted or refused."""

    process_title = "逾期备案特批"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_request).Annotation(title="提出申请").Next(this.decide)
    decide = flow.View(open_late_exception_task).Annotation(title="审批").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def start_request(self, activation, request):
        activation.process.artifact = request
        activation.process.data = {"authority_id": request.plan.authority_id, "filing_no": request.plan.filing_no}
        return activation.process

"""The authority tasks of the ledger: the review of a credit application or a circumstance record
(学时认定审核) and the approval of an amendment request (学时更正申请).

As with plans (workflows/flows.py), the object's own state is the single source of truth; the
process only records the human task waiting in the queue of the authority, claimed by one reviewer,
and its routing (`common.task_routing.task_data`). Our services drive every step; no viewflow views
are mounted.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock

from common.task_routing import DECISION_WINDOW, start_with_artifact, task_data
from jurisdiction.models import league_code_of


def _kind(model_name: str) -> str:
    return "credit" if model_name == "creditapplication" else "circumstance"


def open_application_task(request, **kwargs):
    """Viewflow needs a view per human task; ours is the application's page."""
    process = kwargs.get("task").process
    return redirect("ledger:application_detail", kind=_kind(process.artifact_content_type.model),
                    pk=process.artifact_object_id)


def open_amendment_task(request, **kwargs):
    return redirect("ledger:amendment_list")


def _about(application) -> str:
    """The project on the certificate (credit) or the circumstance recorded."""
    return getattr(application, "title", "") or application.get_code_display()


def _league(organisation) -> str:
    return league_code_of(organisation.division.path) if organisation is not None else ""


class ApplicationReviewFlow(flow.Flow):
    """学时认定审核: submitted → one review task for the authority of the person's employer → decided."""

    process_title = "学时认定、减免情形审核"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_review).Annotation(title="提交申请").Next(this.review)
    review = flow.View(open_application_task).Annotation(title="审核").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def start_review(self, activation, artifact):
        employer = artifact.person.employer_organisation
        data = task_data(
            authority_id=artifact.authority_id, organiser_id=getattr(employer, "pk", None),
            organiser=artifact.person.employer, league=_league(employer),
            due=timezone.now() + DECISION_WINDOW, title=f"{artifact._meta.verbose_name}：{artifact.person.name} {_about(artifact)}",
            url=reverse("ledger:application_detail", args=[_kind(artifact._meta.model_name), artifact.pk]),
        )
        return start_with_artifact(activation, artifact, data)


class AmendmentFlow(flow.Flow):
    """更正申请: requested → one task for the entry's certifying authority → approved or rejected."""

    process_title = "学时更正申请"
    lock_impl = select_for_update_lock

    start = flow.StartHandle(this.start_amendment).Next(this.decide)
    decide = flow.View(open_amendment_task).Next(this.end)
    end = flow.End()

    def start_amendment(self, activation, artifact):
        entry = artifact.entry
        plan = entry.plan
        data = task_data(
            authority_id=entry.authority_id, organiser_id=plan.organiser_id if plan else None,
            organiser=plan.organiser.name if plan else "", league=_league(plan.organiser if plan else None),
            due=timezone.now() + DECISION_WINDOW, ref=plan.filing_no if plan else "",
            title=f"学时更正：{entry.person.name} {entry.hours} → {artifact.new_hours} 学时",
            url=reverse("ledger:amendment_list"),
        )
        return start_with_artifact(activation, artifact, data)

"""The task kinds reviews adds to the one inbox (registered from ReviewsConfig.ready())."""

from filings.models import PlanState, TrainingPlan
from reviews.flows import CertificationFlow, LateExceptionFlow, ReportReviewFlow, ViolationConfirmFlow
from reviews.models import Inspection, LateExceptionRequest
from workflows.task_kinds import TaskKind, register_kind

register_kind(TaskKind("late_exception", LateExceptionFlow, LateExceptionRequest, order=20,
                       waiting=lambda: LateExceptionRequest.objects.filter(
                           status=LateExceptionRequest.Status.PENDING)))
register_kind(TaskKind("report_review", ReportReviewFlow, TrainingPlan, order=30,
                       waiting=lambda: TrainingPlan.objects.filter(state=PlanState.REPORTED)))
register_kind(TaskKind("certification", CertificationFlow, TrainingPlan, order=40,
                       waiting=lambda: TrainingPlan.objects.filter(state=PlanState.REPORT_ACCEPTED)))
register_kind(TaskKind("violation", ViolationConfirmFlow, Inspection, order=70,
                       waiting=lambda: Inspection.objects.filter(confirmed_at__isnull=True)))

"""The task kinds workflows knows: plan review, and the ledger's (the ledger sits below workflows)."""

from filings.models import PlanState, TrainingPlan
from ledger.flows import AmendmentFlow, ApplicationReviewFlow
from ledger.models import AmendmentRequest, ApplicationState, CircumstanceApplication, CreditApplication
from workflows.flows import PlanReviewFlow
from workflows.task_kinds import TaskKind, register_kind

register_kind(TaskKind("plan_review", PlanReviewFlow, TrainingPlan, order=10,
                       waiting=lambda: TrainingPlan.objects.filter(state=PlanState.SUBMITTED)))
register_kind(TaskKind("credit_application", ApplicationReviewFlow, CreditApplication, order=50,
                       waiting=lambda: CreditApplication.objects.filter(state=ApplicationState.SUBMITTED)))
register_kind(TaskKind("circumstance", ApplicationReviewFlow, CircumstanceApplication, order=51,
                       waiting=lambda: CircumstanceApplication.objects.filter(state=ApplicationState.SUBMITTED)))
register_kind(TaskKind("amendment", AmendmentFlow, AmendmentRequest, order=60,
                       waiting=lambda: AmendmentRequest.objects.filter(status=AmendmentRequest.Status.PENDING)))

"""Every allowed and forbidden transition of the plan state machine, without HTTP."""

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from filings.models import PlanState, TrainingPlan

ALLOWED = {
    "submit": {PlanState.DRAFT: PlanState.SUBMITTED, PlanState.RETURNED: PlanState.SUBMITTED},
    "withdraw": {PlanState.SUBMITTED: PlanState.WITHDRAWN},
    "approve": {PlanState.SUBMITTED: PlanState.APPROVED},
    "return_for_revision": {PlanState.SUBMITTED: PlanState.RETURNED},
    "reject": {PlanState.SUBMITTED: PlanState.REJECTED},
    "cancel": {PlanState.DRAFT: PlanState.CANCELLED, PlanState.RETURNED: PlanState.CANCELLED,
               PlanState.APPROVED: PlanState.CANCELLED},
    "start_training": {PlanState.APPROVED: PlanState.IN_TRAINING},
    "end_training": {PlanState.IN_TRAINING: PlanState.AWAITING_REPORT},
    "submit_report": {PlanState.AWAITING_REPORT: PlanState.REPORTED, PlanState.REPORT_RETURNED: PlanState.REPORTED},
    "accept_report": {PlanState.REPORTED: PlanState.REPORT_ACCEPTED},
    "return_report": {PlanState.REPORTED: PlanState.REPORT_RETURNED},
    "certify": {PlanState.REPORT_ACCEPTED: PlanState.CERTIFIED},
}
CASES = [(m, s) for m in ALLOWED for s in PlanState.values]


def plan_in(state):
    plan = TrainingPlan()
    TrainingPlan._meta.get_field("state").set_state(plan, state)
    return plan


@pytest.mark.parametrize("method,state", CASES)
def test_transition_table(method, state):
    plan = plan_in(state)
    bound = getattr(plan, method)
    target = ALLOWED[method].get(state)
    assert can_proceed(bound) is (target is not None)
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            bound()
    else:
        bound()
        assert plan.state == target


def test_the_state_field_cannot_be_assigned_directly():
    plan = plan_in(PlanState.DRAFT)
    with pytest.raises(AttributeError):
        plan.state = PlanState.APPROVED

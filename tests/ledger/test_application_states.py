"""The application state machine, without HTTP: every allowed and every forbidden transition."""

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from ledger.models import ApplicationState, CircumstanceApplication, CreditApplication

S = ApplicationState
TRANSITIONS = ("return_", "resubmit", "approve", "reject")
ALLOWED = {
    (S.SUBMITTED, "return_"): S.RETURNED,
    (S.SUBMITTED, "approve"): S.APPROVED,
    (S.SUBMITTED, "reject"): S.REJECTED,
    (S.RETURNED, "resubmit"): S.SUBMITTED,
}
TABLE = [(model, state, name) for model in (CreditApplication, CircumstanceApplication)
         for state in S.values for name in TRANSITIONS]


def _in_state(model, state):
    application = model()
    application.__dict__["state"] = state  # a bare instance, not saved: protected fields refuse assignment
    return application


@pytest.mark.parametrize(("model", "state", "name"), TABLE, ids=[f"{m.__name__}|{s}|{n}" for m, s, n in TABLE])
def test_transition_table(model, state, name):
    application = _in_state(model, state)
    method = getattr(application, name)
    if (state, name) in ALLOWED:
        assert can_proceed(method)
        method()
        assert application.state == ALLOWED[(state, name)]
    else:
        assert not can_proceed(method)
        with pytest.raises(TransitionNotAllowed):
            method()


def test_the_state_field_cannot_be_assigned():
    application = CreditApplication()
    with pytest.raises(AttributeError):
        application.state = S.APPROVED

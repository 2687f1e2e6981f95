"""seed_scale writes what the services would have written: a freshly seeded database reconciles clean, with one
open authority task per plan waiting for review, report review or certification."""

import pytest
from django.core.management import call_command

from filings.models import PlanState, TrainingPlan
from workflows.selectors import open_task_counts
from workflows.task_kinds import task_kinds

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_seeded_database_reconciles_clean_with_every_waiting_task_open(capsys):
    call_command("seed_scale", plans=600, entries=900, persons=300, organisers=12)
    call_command("reconcile")  # raises CommandError on any problem
    out = capsys.readouterr().out
    assert "FAIL" not in out
    kinds = {kind.code: kind for kind in task_kinds()}
    for code, state in (("plan_review", PlanState.SUBMITTED), ("report_review", PlanState.REPORTED),
                        ("certification", PlanState.REPORT_ACCEPTED)):
        waiting = set(TrainingPlan.objects.filter(state=state).values_list("pk", flat=True))
        assert waiting, code
        kind = kinds[code]
        assert set(open_task_counts(kind.model, flow=kind.flow)) == waiting, code

"""The reconciliation finds every kind of lost or doubled row, and nothing in a clean world.

The inconsistencies are made the way a fault would leave them: with raw queryset updates and
inserts that bypass the services (the models refuse edits of the ledger and the log).
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from filings.models import PlanState, PlanTransition, TrainingPlan
from ledger.models import HourEntry
from ledger.services import amendment_approve, amendment_request
from notifications.delivery import deliveries_plan, reminder_deliver
from notifications.models import Delivery, Notification, Reminder
from tests.filings.conftest import NOW
from tests.ledger.support import certified_plan
from workflows.flows import PlanReviewFlow
from workflows.reconcile import reconcile
from workflows.task_kinds import task_kinds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def certified(owner, reviewer, django_capture_on_commit_callbacks):
    # Run the on-commit delivery of the decisions' announcements, as a worker would.
    with django_capture_on_commit_callbacks(execute=True):
        return certified_plan(owner, reviewer)


@pytest.fixture
def world(certified, submitted_plan, make_plan, owner, reviewer, django_capture_on_commit_callbacks):
    """A certified plan with an amended entry (its decision announced), a submitted plan, a draft, and a
    sent reminder."""
    entry = HourEntry.objects.filter(plan=certified).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        amendment_approve(request=amendment_request(entry=entry, actor=owner, new_hours=20, reason="更正"),
                          actor=reviewer)
    draft = make_plan()
    reminder = Reminder.objects.create(kind="plan_review", object_key=f"plan:{submitted_plan.pk}", recipient=reviewer,
                                       step=0, deadline_at=NOW, due_at=NOW, title="审核", action="请审核",
                                       claimed_at=NOW)
    deliveries_plan(reminder_ids=[reminder.pk])
    reminder_deliver(reminder_id=reminder.pk)
    return {"certified": certified, "submitted": submitted_plan, "draft": draft, "reminder": reminder}


def problems(name_part: str) -> list[str]:
    (check,) = [c for c in reconcile() if name_part in c.name]
    return check.examples


def all_problems() -> int:
    return sum(c.problems for c in reconcile())


def test_it_finds_nothing_in_a_clean_world(world):
    checks = reconcile()
    assert [c.examples for c in checks if not c.ok] == []
    assert {c.name: c.checked for c in checks}["one open review task per submitted plan, none for others"] == 1
    assert Reminder.objects.get(pk=world["reminder"].pk).sent_at is not None
    assert Notification.objects.filter(reminder=world["reminder"]).count() == 1


def test_the_command_prints_each_check_and_succeeds_when_clean(world, capsys):
    call_command("reconcile")
    out = capsys.readouterr().out
    assert out.count("OK  ") == 8 + len(task_kinds()) - 1 and "FAIL" not in out  # one check per other task kind


def test_the_command_fails_when_a_check_fails(world, capsys):
    TrainingPlan.objects.filter(pk=world["draft"].pk).update(state=PlanState.SUBMITTED)
    with pytest.raises(CommandError, match="problems found"):
        call_command("reconcile")
    assert "FAIL plan state" in capsys.readouterr().out


def test_it_finds_a_lost_transition(world):
    PlanTransition.objects.filter(plan=world["submitted"], to_state=PlanState.SUBMITTED).delete()
    found = problems("last transition")
    assert found == [f"plan {world['submitted'].pk}: state submitted, last transition to draft"]


def test_it_finds_a_plan_without_any_transition(world):
    PlanTransition.objects.filter(plan=world["draft"]).delete()
    assert problems("last transition") == [f"plan {world['draft'].pk}: state draft, last transition to (none)"]


def test_it_finds_a_gap_in_the_chain(world):
    plan = world["certified"]
    PlanTransition.objects.filter(plan=plan, to_state=PlanState.IN_TRAINING).delete()
    assert problems("chain continuous") == [
        f"plan {plan.pk}: transition from in_training follows one ending in approved"]


def test_it_finds_a_doubled_submit(world):
    plan = world["submitted"]
    logged = PlanTransition.objects.get(plan=plan, to_state=PlanState.SUBMITTED)
    PlanTransition.objects.bulk_create([PlanTransition(plan=plan, actor=logged.actor, from_state=PlanState.DRAFT,
                                                       to_state=PlanState.SUBMITTED)])
    PlanTransition.objects.filter(plan=plan, to_state=PlanState.SUBMITTED).update(at=logged.at)
    (found,) = problems("duplicate transition")
    assert found.startswith(f"plan {plan.pk}: draft → submitted logged 2 times")
    assert problems("chain continuous")  # the second submit also breaks the chain


def test_a_draft_created_and_edited_within_a_second_is_not_a_duplicate(world, owner):
    from filings import services
    from tests.filings.conftest import TEACHERS, plan_data

    plan = world["draft"]
    services.plan_update(plan=plan, actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    PlanTransition.objects.filter(plan=plan).update(at=PlanTransition.objects.filter(plan=plan).first().at)
    assert PlanTransition.objects.filter(plan=plan).count() == 2
    assert problems("duplicate transition") == []


def test_it_finds_a_lost_ledger_entry(world):
    plan = world["certified"]
    row = plan.roster.order_by("seq").last()
    HourEntry.objects.filter(roster_entry=row).delete()
    assert problems("one credit per roster row") == [f"plan {plan.pk} roster row {row.seq}: no credit"]


def test_it_finds_a_doubled_ledger_entry(world):
    plan = world["certified"]
    entry = HourEntry.objects.filter(plan=plan, reversed_by__isnull=True).order_by("-pk").first()
    entry.pk = None
    entry.save()
    assert problems("one credit per roster row") == [
        f"plan {plan.pk} roster entry {entry.roster_entry_id}: 2 live credits"]


def test_an_amended_entry_is_not_doubled(world):
    credits = HourEntry.objects.filter(plan=world["certified"], kind=HourEntry.Kind.CREDIT)
    assert credits.count() == world["certified"].roster.count() + 1
    assert problems("one credit per roster row") == []


def test_it_finds_a_credit_on_a_plan_that_is_not_certified(world):
    plan = world["certified"]
    TrainingPlan.objects.filter(pk=plan.pk).update(state=PlanState.REPORT_ACCEPTED)
    found = problems("one credit per roster row")
    assert found and all("is report_accepted, not certified" in f for f in found)


def test_it_finds_a_credit_for_another_person(world, certified):
    entry = HourEntry.objects.filter(plan=certified).order_by("pk").last()
    other = HourEntry.objects.filter(plan=certified).exclude(person=entry.person).first().person
    HourEntry.objects.filter(pk=entry.pk).update(person=other)
    assert problems("one credit per roster row")[-1] == (
        f"credit {entry.pk}: roster row of another plan or person than plan {certified.pk}")


def test_it_finds_a_reversal_that_does_not_balance(world):
    reversal = HourEntry.objects.get(kind=HourEntry.Kind.REVERSAL)
    HourEntry.objects.filter(pk=reversal.pk).update(hours=reversal.hours + 1)
    assert problems("reverses exactly one credit") == [f"reversal {reversal.pk}: leaves 1 hours of the credit it reverses"]


def test_it_finds_a_reversal_of_another_persons_credit(world):
    reversal = HourEntry.objects.get(kind=HourEntry.Kind.REVERSAL)
    other = HourEntry.objects.filter(plan=world["certified"]).exclude(person=reversal.person).first().person
    HourEntry.objects.filter(pk=reversal.pk).update(person=other)
    assert problems("reverses exactly one credit") == [
        f"reversal {reversal.pk}: reverses {reversal.reverses_id}, not a credit of the same person"]


@pytest.mark.parametrize(("update", "message"), [
    ({"claimed_at": None}, "sent without being claimed"),
    ({"skipped_at": NOW}, "both sent and skipped"),
    ({"sent_at": None, "claimed_at": NOW - dt.timedelta(hours=1)}, "claimed long ago and never sent (lost)"),
])
def test_it_finds_a_reminder_in_an_impossible_state(world, update, message):
    Reminder.objects.filter(pk=world["reminder"].pk).update(**update)
    assert any(message in f for f in problems("reminder claimed"))


def test_it_finds_a_reminder_marked_sent_with_a_channel_pending(world):
    Delivery.objects.filter(reminder=world["reminder"]).update(done_at=None)
    assert problems("reminder claimed") == [
        f"reminder {world['reminder'].pk} (plan_review plan:{world['submitted'].pk}): "
        "marked sent with a channel not delivered"]


def test_it_finds_an_inapp_delivery_without_its_notification(world):
    Notification.objects.filter(reminder=world["reminder"]).delete()
    assert any("in-app done but no notification (lost)" in f for f in problems("delivery done once"))


def test_it_finds_a_notification_written_twice_over(world):
    """The notification exists but the delivery was not marked: the next run would write another."""
    Delivery.objects.filter(reminder=world["reminder"]).update(done_at=None)
    assert any("notification written but delivery not done" in f for f in problems("delivery done once"))


def test_it_finds_a_delivery_both_done_and_abandoned(world):
    Delivery.objects.filter(reminder=world["reminder"]).update(failed_at=NOW)
    assert any("both done and abandoned" in f for f in problems("delivery done once"))


def _open_review_tasks():
    return Task.objects.filter(flow_task=PlanReviewFlow.review, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def test_it_finds_a_submitted_plan_without_its_review_task(world):
    _open_review_tasks().update(status=STATUS.CANCELED)
    assert problems("open review task") == [f"plan {world['submitted'].pk}: submitted but no open review task (lost)"]


def test_it_finds_a_doubled_review_task(world):
    task = _open_review_tasks().get()
    task.pk = None
    task.save()
    assert problems("open review task") == [f"plan {world['submitted'].pk}: 2 open review tasks (doubled)"]


def test_it_finds_an_open_review_task_for_a_decided_plan(world):
    plan = world["submitted"]
    TrainingPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    assert problems("open review task") == [
        f"plan {plan.pk}: not submitted but 1 open review task(s)",
    ]
    assert all_problems() > 1  # the state also disagrees with the last transition


def test_a_reminder_claimed_within_the_lease_is_a_note_not_a_problem(world):
    Reminder.objects.filter(pk=world["reminder"].pk).update(sent_at=None, claimed_at=NOW)
    (check,) = [c for c in reconcile(now=NOW + dt.timedelta(minutes=5)) if "reminder claimed" in c.name]
    assert check.ok and check.notes == ["1 claimed and not yet sent, within the lease (the sweep re-claims them)"]


def test_it_finds_a_waiting_report_without_its_task_and_the_command_opens_it(world, capsys):
    """Data from before the report review flow: a reported plan with no task. The command reports
    what it would open, opens it with --repair, and reconciliation is clean again."""
    plan = world["submitted"]
    TrainingPlan.objects.filter(pk=plan.pk).update(state=PlanState.REPORTED)
    PlanTransition.objects.create(plan=plan, from_state=PlanState.SUBMITTED, to_state=PlanState.REPORTED)
    Task.objects.filter(flow_task=PlanReviewFlow.review, process__artifact_object_id=plan.pk).update(
        status=STATUS.CANCELED)
    assert problems("waiting report_review") == [f"report_review {plan.pk}: waiting but no open task (lost)"]
    call_command("authority_tasks")
    assert "report_review: would open 1, would cancel 0" in capsys.readouterr().out
    assert problems("waiting report_review") == [f"report_review {plan.pk}: waiting but no open task (lost)"]
    call_command("authority_tasks", "--repair")
    assert "report_review: opened 1, cancelled 0" in capsys.readouterr().out
    assert all_problems() == 0


def test_the_command_cancels_a_task_left_over_after_its_amendment_was_decided(world):
    from ledger.flows import AmendmentFlow

    done = Task.objects.get(flow_task=AmendmentFlow.decide, status=STATUS.DONE)
    done.status = STATUS.NEW
    done.save(update_fields=["status"])
    assert len(problems("waiting amendment")) == 1 and "not waiting but 1 open task(s)" in problems("waiting amendment")[0]
    call_command("authority_tasks", "--repair")
    assert all_problems() == 0

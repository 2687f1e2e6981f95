"""Reconciliation: after faults (a killed worker, a restarted broker or database), prove that no
transition, ledger entry, reminder or review task was lost or doubled.

Each check is a read-only query over the whole database and returns a `Check` with the number of
rows it looked at and the problems it found (a few examples are kept for the report). The
`reconcile` management command prints them and exits non-zero when any check has a problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncSecond
from django.utils import timezone

from filings.models import PlanState, PlanTransition, RosterEntry, TrainingPlan
from ledger.models import HourEntry
from notifications.models import Channel, Delivery, Notification, Reminder
from notifications.sweep import claim_lease
from workflows.selectors import open_task_counts
from workflows.task_kinds import TaskKind, task_kind, task_kinds

EXAMPLES = 10


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: int = 0
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # facts worth knowing that are not problems

    def add(self, message: str) -> None:
        self.problems += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(message)

    @property
    def ok(self) -> bool:
        return self.problems == 0


# --- transitions -----------------------------------------------------------------------------
_CHAIN_SQL = """
WITH ordered AS (
  SELECT plan_id, from_state, to_state,
         LAG(to_state) OVER (PARTITION BY plan_id ORDER BY at, id) AS prev_to,
         ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY at DESC, id DESC) AS from_end
  FROM filings_plantransition
)
SELECT 'last', p.id, p.state, o.to_state FROM filings_trainingplan p
  LEFT JOIN ordered o ON o.plan_id = p.id AND o.from_end = 1
  WHERE o.to_state IS NULL OR o.to_state <> p.state
UNION ALL
SELECT 'chain', plan_id, COALESCE(prev_to, '(start)'), from_state FROM ordered
  WHERE (prev_to IS NULL AND from_state <> %s) OR (prev_to IS NOT NULL AND from_state <> prev_to)
"""


def check_transitions() -> list[Check]:
    """The plan's state is the to_state of its last transition, and each transition starts where
    the previous one ended (the first from a draft)."""
    last = Check("plan state = to_state of its last transition (no lost transition)",
                 checked=TrainingPlan.objects.count())
    chain = Check("transition chain continuous (from_state = previous to_state)",
                  checked=PlanTransition.objects.count())
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_SQL, [PlanState.DRAFT])
        for kind, plan_id, expected, found in cursor.fetchall():
            if kind == "last":
                last.add(f"plan {plan_id}: state {expected}, last transition to {found or '(none)'}")
            else:
                chain.add(f"plan {plan_id}: transition from {found} follows one ending in {expected}")
    return [last, chain]


def check_duplicate_transitions() -> Check:
    """A double submit would log the same move of the same plan twice within a second."""
    check = Check("no duplicate transition (same plan, from, to within one second)",
                  checked=PlanTransition.objects.count())
    # Rows that leave the state where it is (a draft created, then edited) are events, not moves.
    duplicates = (PlanTransition.objects.exclude(from_state=F("to_state")).annotate(second=TruncSecond("at"))
                  .values("plan_id", "from_state", "to_state", "second").annotate(n=Count("id")).filter(n__gt=1)
                  .order_by("plan_id"))
    for row in duplicates:
        check.add(f"plan {row['plan_id']}: {row['from_state']} → {row['to_state']} logged {row['n']} times "
                  f"at {timezone.localtime(row['second']):%Y-%m-%d %H:%M:%S}")
    return check


# --- the ledger --------------------------------------------------------------------------------
def check_credits() -> Check:
    """Each roster row of a certified plan has its credit; none has two live (unreversed) credits;
    no credit belongs to a plan that is not certified or to another plan's roster or person."""
    credits = HourEntry.objects.filter(kind=HourEntry.Kind.CREDIT, plan__isnull=False)
    check = Check("one credit per roster row of each certified plan (no lost or doubled entry)",
                  checked=credits.count())
    has_credit = credits.filter(roster_entry_id=OuterRef("pk"))
    lost = (RosterEntry.objects.filter(plan__state=PlanState.CERTIFIED).filter(~Exists(has_credit))
            .values_list("plan_id", "seq"))
    for plan_id, seq in lost.iterator():
        check.add(f"plan {plan_id} roster row {seq}: no credit")
    doubled = (credits.filter(reversed_by__isnull=True).values("roster_entry_id", "roster_entry__plan_id")
               .annotate(n=Count("id")).filter(n__gt=1).order_by("roster_entry_id"))
    for row in doubled:
        check.add(f"plan {row['roster_entry__plan_id']} roster entry {row['roster_entry_id']}: {row['n']} live credits")
    for entry_id, plan_id, state in (credits.exclude(plan__state=PlanState.CERTIFIED)
                                     .values_list("pk", "plan_id", "plan__state")):
        check.add(f"credit {entry_id}: plan {plan_id} is {state}, not certified")
    mismatched = credits.filter(roster_entry__isnull=False).filter(
        ~Q(roster_entry__plan_id=F("plan_id")) | ~Q(roster_entry__id_number=F("person__id_number")))
    for entry_id, plan_id in mismatched.values_list("pk", "plan_id"):
        check.add(f"credit {entry_id}: roster row of another plan or person than plan {plan_id}")
    return check


def check_reversals() -> Check:
    """Each reversal cancels exactly one credit: same person and roster row, the negative hours."""
    reversals = HourEntry.objects.filter(kind=HourEntry.Kind.REVERSAL)
    check = Check("each reversal reverses exactly one credit", checked=reversals.count())
    wrong = reversals.filter(
        ~Q(reverses__kind=HourEntry.Kind.CREDIT) | ~Q(reverses__person_id=F("person_id"))
        | Q(reverses__isnull=True)
    )
    for entry_id, reversed_id in wrong.values_list("pk", "reverses_id"):
        check.add(f"reversal {entry_id}: reverses {reversed_id or '(nothing)'}, not a credit of the same person")
    unbalanced = reversals.annotate(net=F("hours") + F("reverses__hours")).exclude(net=0)
    for entry_id, net in unbalanced.values_list("pk", "net"):
        check.add(f"reversal {entry_id}: leaves {net} hours of the credit it reverses")
    return check


# --- reminders -----------------------------------------------------------------------------------
def check_reminders(now: dt.datetime | None = None) -> Check:
    """A reminder is claimed before it is sent, sent only when every channel is settled, and not
    left claimed past twice the lease (the sweep re-claims after one)."""
    now = now or timezone.now()
    check = Check("each reminder claimed, then sent at most once, none stuck", checked=Reminder.objects.count())
    pending = Delivery.objects.filter(reminder_id=OuterRef("pk"), done_at__isnull=True, failed_at__isnull=True)
    rules = [
        (Q(sent_at__isnull=False, claimed_at__isnull=True), "sent without being claimed"),
        (Q(sent_at__isnull=False, skipped_at__isnull=False), "both sent and skipped"),
        (Q(sent_at__isnull=False) & Exists(pending), "marked sent with a channel not delivered"),
        (Q(sent_at__isnull=True, claimed_at__lt=now - 2 * claim_lease()), "claimed long ago and never sent (lost)"),
    ]
    for condition, message in rules:
        for pk, kind, key in Reminder.objects.filter(condition).values_list("pk", "kind", "object_key"):
            check.add(f"reminder {pk} ({kind} {key}): {message}")
    in_flight = Reminder.objects.filter(sent_at__isnull=True, claimed_at__gte=now - 2 * claim_lease()).count()
    if in_flight:
        check.notes.append(f"{in_flight} claimed and not yet sent, within the lease (the sweep re-claims them)")
    return check


def check_deliveries() -> Check:
    """Each delivery is done once: one row per channel, never both done and abandoned, and the
    in-app channel is done exactly when its one notification exists."""
    check = Check("each delivery done once (one in-app notification per done in-app delivery)",
                  checked=Delivery.objects.count())
    for row in (Delivery.objects.values("reminder_id", "channel").annotate(n=Count("id")).filter(n__gt=1)):
        check.add(f"reminder {row['reminder_id']}: {row['n']} {row['channel']} deliveries")
    notified = Notification.objects.filter(reminder_id=OuterRef("reminder_id"))
    inapp = Delivery.objects.filter(channel=Channel.INAPP)
    rules = [
        (Delivery.objects.filter(done_at__isnull=False, failed_at__isnull=False), "both done and abandoned"),
        (Delivery.objects.filter(reminder__claimed_at__isnull=True), "for a reminder never claimed"),
        (inapp.filter(done_at__isnull=False).filter(~Exists(notified)), "in-app done but no notification (lost)"),
        (inapp.filter(done_at__isnull=True).filter(Exists(notified)), "notification written but delivery not done"),
    ]
    for queryset, message in rules:
        for pk, reminder_id, channel in queryset.values_list("pk", "reminder_id", "channel"):
            check.add(f"delivery {pk} (reminder {reminder_id}, {channel}): {message}")
    return check


# --- authority tasks --------------------------------------------------------------------------------
def _check_tasks(kind: TaskKind, *, name: str, noun: str, waiting_word: str, task_word: str) -> Check:
    waiting = set(kind.waiting().values_list("pk", flat=True))
    open_tasks = open_task_counts(kind.model, flow=kind.flow)
    check = Check(name, checked=len(waiting))
    for pk in sorted(waiting - open_tasks.keys()):
        check.add(f"{noun} {pk}: {waiting_word} but no open {task_word} (lost)")
    for pk, n in sorted(open_tasks.items()):
        if pk not in waiting:
            check.add(f"{noun} {pk}: not {waiting_word} but {n} open {task_word}(s)")
        elif n > 1:
            check.add(f"{noun} {pk}: {n} open {task_word}s (doubled)")
    return check


def check_review_tasks() -> Check:
    """One open review task per submitted plan, and none for a plan in any other state."""
    return _check_tasks(task_kind("plan_review"), name="one open review task per submitted plan, none for others",
                        noun="plan", waiting_word="submitted", task_word="review task")


def check_authority_tasks() -> list[Check]:
    """Every other kind of authority task: one open task per object waiting for the decision, none for others."""
    return [_check_tasks(kind, name=f"one open task per waiting {kind.code}, none for others", noun=kind.code,
                         waiting_word="waiting", task_word="task")
            for kind in task_kinds() if kind.code != "plan_review"]


def reconcile(now: dt.datetime | None = None) -> list[Check]:
    return [*check_transitions(), check_duplicate_transitions(), check_credits(), check_reversals(),
            check_reminders(now), check_deliveries(), check_review_tasks(), *check_authority_tasks()]

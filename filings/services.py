"""Writes on training plans. One service per state change, each in one transaction:
lock the row, run the transition, save, write the transition row, queue follow-ups on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from accounts.permissions import is_organiser_of
from filings import annual_filing, decision_window
from filings.announcements import plan_announce
from filings.models import (
    FilingCounter,
    LateFilingException,
    PlanState,
    PlanTransition,
    Teacher,
    TrainingPlan,
)
from filings.permissions import (  # can_decide: re-exported for callers that import it from here
    NOT_ORGANISER,
    can_decide,  # noqa: F401
    require_decider,
    require_plan_organiser,
)
from filings.review_process import review_process, transition_listeners
from filings.risk_facts import plan_risk_facts_refresh
from filings.validation import validate_plan_fields
from jurisdiction.selectors import supervising_authority
from rules.selectors import Policy, policy_for

# Not yet submitted: the organiser may edit it, a reviewer may allow it to be filed late.
EDITABLE_STATES = (PlanState.DRAFT, PlanState.RETURNED)

# The log row of an edit: the state stays, the content changed.
EDIT_REASON = "修改计划内容"

PLAN_FIELDS = [
    "title", "subject", "mode", "starts_at", "ends_at", "place", "content", "trainee_scope",
    "planned_headcount", "hours", "fee", "contact_person", "contact_phone", "credit_year",
]
RULE_FACT_FIELDS = ["platform", "training_kind", "approval_reference", "approval_date"]  # optional in data


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _next_filing_no(*, year: int, league_code: str) -> str:
    counter, _ = FilingCounter.objects.get_or_create(year=year, league_code=league_code)
    counter = FilingCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"备-{year}-{league_code[:4]}-{counter.last:05d}"


def _set_teachers(plan: TrainingPlan, teachers: list[dict]) -> None:
    plan.teachers.all().delete()
    Teacher.objects.bulk_create(Teacher(plan=plan, **t) for t in teachers)


@transaction.atomic
def plan_create(*, actor: User, data: dict, teachers: list[dict], now: dt.datetime | None = None) -> TrainingPlan:
    """Save a new draft plan for the actor's organisation."""
    organisation = actor.organisation
    if organisation is None:
        raise PermissionDenied("只有培训组织单位的经办人可以填报培训计划。")
    if not is_organiser_of(actor, organisation.pk):
        raise PermissionDenied(NOT_ORGANISER)
    now = now or timezone.now()
    validate_plan_fields(data, teachers=teachers, organisation=organisation, now=now)
    start = _local(data["starts_at"])
    plan = TrainingPlan(
        organiser=organisation,
        authority=supervising_authority(organisation),
        created_by=actor,
        filing_no=_next_filing_no(year=start.year, league_code=organisation.division.league_code),
        **{f: data[f] for f in PLAN_FIELDS}, **{f: data[f] for f in RULE_FACT_FIELDS if data.get(f) is not None},
    )
    plan.full_clean(exclude=["state"])
    plan.save()
    _set_teachers(plan, teachers)
    return plan_transition(plan=plan, method=None, actor=actor, reason="创建草稿")


@transaction.atomic
def plan_update(*, plan: TrainingPlan, actor: User, data: dict, teachers: list[dict],
                now: dt.datetime | None = None) -> TrainingPlan:
    """Edit a draft or a returned plan."""
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan)
    if plan.state not in EDITABLE_STATES:
        raise ValidationError(f"计划当前状态为“{plan.get_state_display()}”，不能修改。")
    validate_plan_fields(data, teachers=teachers, organisation=plan.organiser, now=now or timezone.now())
    facts = [f for f in RULE_FACT_FIELDS if f in data]
    for field in PLAN_FIELDS + facts:
        setattr(plan, field, data[field] if data[field] is not None or field == "approval_date" else "")
    plan.full_clean(exclude=["state"])
    _set_teachers(plan, teachers)
    return plan_transition(plan=plan, method=None, actor=actor, reason=EDIT_REASON, also_save=PLAN_FIELDS + facts)


def last_filing_moment(plan: TrainingPlan, *, policy: Policy | None = None) -> dt.datetime:
    """The last instant a plan may be submitted: its start minus the lead time in force
    (`policy`: the rules in force on the start day, when the caller has them already)."""
    policy = policy or policy_for(division=plan.organiser.division, on=_local(plan.starts_at).date())
    return filing_deadline(starts_at=plan.starts_at, policy=policy)


def filing_deadline(*, starts_at: dt.datetime, policy: Policy) -> dt.datetime:
    """The last filing moment of a plan starting at `starts_at` under `policy` (the rules in force that day)."""
    return starts_at - dt.timedelta(days=policy["plan_lead_days"])


def _check_lead_time(plan: TrainingPlan, now: dt.datetime) -> None:
    deadline = last_filing_moment(plan)
    if now <= deadline or hasattr(plan, "late_exception"):
        return
    local = _local(deadline)
    raise ValidationError(
        f"已超过备案期限：培训开始前须提前备案，本计划最迟应于 {local:%Y年%m月%d日 %H:%M} 前提交。"
        "如确有特殊情况，可在计划页面向审核部门申请逾期备案特批（填写理由），批准后即可提交。"
    )


def plan_lead_time_warning(plan: TrainingPlan, *, now: dt.datetime | None = None) -> str:
    """What an organiser is told on saving a draft that can no longer be filed in time ("" when it can):
    the lead-time rule in force, the last moment, and the late-filing exception path."""
    if hasattr(plan, "late_exception"):
        return ""
    policy = policy_for(division=plan.organiser.division, on=_local(plan.starts_at).date())
    deadline = last_filing_moment(plan, policy=policy)
    if (now or timezone.now()) <= deadline:
        return ""
    return (
        f"注意：培训须在开始前 {policy['plan_lead_days']} 天备案，本计划最迟应于 {_local(deadline):%Y年%m月%d日 %H:%M} "
        "前提交，现已超过期限，草稿虽已保存，但不能直接提交审核。如确有特殊情况，请在计划页面向审核部门申请逾期备案特批"
        "（填写理由），批准后即可提交；否则请调整培训时间。"
    )


def plan_lock(plan: TrainingPlan) -> TrainingPlan:
    """The plan's row, locked until the transaction ends (with the organiser's division for the rules).
    Every service that changes a plan starts here."""
    return TrainingPlan.objects.select_for_update().select_related("organiser__division").get(pk=plan.pk)


def plan_transition(*, plan: TrainingPlan, method: str | None, actor: User | None, reason: str = "",
                    also_save: Iterable[str] = ()) -> TrainingPlan:
    """The one writer of a plan's state and its log: run the FSM transition `method` on a plan
    locked by `plan_lock`, save the state and the fields in `also_save`, then write the
    PlanTransition row and the audit row (kind TRANSITION), both with actor and reason; a decision
    is announced to its parties in the same transaction (filings.announcements), and whoever keeps the
    authorities' tasks about the plan follows the move (filings.review_process transition listeners).

    `method=None` logs an event that leaves the state where it is (a draft created or edited,
    a late filing allowed), after saving `also_save`.
    """
    from_state = plan.state
    if method is not None:
        transition = getattr(plan, method)
        if not can_proceed(transition):
            raise ValidationError(
                f"该计划当前状态为“{plan.get_state_display()}”，不能执行此操作（可能已被他人处理，请刷新页面）。"
            )
        transition()
    fields = [*(["state"] if method is not None else []), *also_save]
    if fields:
        plan.save(update_fields=fields)
    log = PlanTransition.objects.create(plan=plan, actor=actor, from_state=from_state, to_state=plan.state,
                                        reason=reason)
    audit_record(kind=AuditEvent.Kind.TRANSITION, actor=actor, target=plan.filing_no, plan=plan.pk,
                 action=method or "", from_state=from_state, to_state=plan.state, reason=reason)
    plan_announce(plan=plan, method=method, log=log)
    if plan.state != from_state:
        for listener in transition_listeners():
            listener(plan=plan, from_state=from_state, actor=actor)
    return plan


@transaction.atomic
def plan_submit(*, plan: TrainingPlan, actor: User, now: dt.datetime | None = None) -> TrainingPlan:
    """1. lock; 2. check owner and lead time; 3. submit; 4. log."""
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan)
    now = now or timezone.now()
    if can_proceed(plan.submit):
        _check_lead_time(plan, now)
        if refusal := annual_filing.late_annual_filing(plan, now):
            raise ValidationError(refusal)
    plan.submitted_at = now
    plan_transition(plan=plan, method="submit", actor=actor, also_save=["submitted_at"])
    review_process().review_open(plan=plan)
    return plan


@transaction.atomic
def plan_withdraw(*, plan: TrainingPlan, actor: User, reason: str = "") -> TrainingPlan:
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan)
    plan_transition(plan=plan, method="withdraw", actor=actor, reason=reason)
    review_process().review_cancel(plan=plan)
    return plan


@transaction.atomic
def plan_cancel(*, plan: TrainingPlan, actor: User, reason: str, now: dt.datetime | None = None) -> TrainingPlan:
    plan = plan_lock(plan)
    require_plan_organiser(actor, plan)
    if not reason.strip():
        raise ValidationError({"reason": "请填写取消原因。"})
    if (now or timezone.now()) >= plan.starts_at:
        raise ValidationError("培训已开始，不能取消。")
    return plan_transition(plan=plan, method="cancel", actor=actor, reason=reason)


DECISIONS = {"approve": "approve", "return": "return_for_revision", "reject": "reject"}


@transaction.atomic
def plan_decide(*, plan: TrainingPlan, actor: User, decision: str, reason: str = "",
                now: dt.datetime | None = None) -> TrainingPlan:
    """Approve, return with comments, or reject with a reason. Exactly one decision wins.
    Once the training has started undecided, only rejection is left (filings.decision_window)."""
    plan = plan_lock(plan)
    require_decider(actor, plan, message="您不是该计划审核部门的审核人员，或该计划由本单位填报，不能审核。")
    if decision not in DECISIONS:
        raise ValidationError({"decision": f"未知的审核结论：{decision}"})
    if refusal := decision_window.check_decision(plan, decision, now):
        raise ValidationError(refusal)
    if decision != "approve" and not reason.strip():
        raise ValidationError({"reason": "退回或不予备案时必须填写意见。"})
    plan_transition(plan=plan, method=DECISIONS[decision], actor=actor, reason=reason)
    review_process().review_complete(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_claim(*, plan: TrainingPlan, actor: User):
    """认领: take the plan's review task from the authority's queue into one's own inbox."""
    plan = plan_lock(plan)
    require_decider(actor, plan, message="您不是该计划审核部门的审核人员，不能认领。")
    return review_process().review_claim(plan=plan, actor=actor)


@transaction.atomic
def plan_release(*, plan: TrainingPlan, actor: User):
    """释放: put a claimed review task back into the authority's queue."""
    plan = plan_lock(plan)
    return review_process().review_release(plan=plan, actor=actor)


@transaction.atomic
def plan_grant_late_exception(*, plan: TrainingPlan, actor: User, reason: str) -> LateFilingException:
    plan = plan_lock(plan)
    require_decider(actor, plan, message="只有该计划审核部门的审核人员可以批准逾期备案。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写逾期备案特批的理由。"})
    if plan.state not in EDITABLE_STATES:
        raise ValidationError("只有尚未提交的计划可以特批逾期备案。")
    if hasattr(plan, "late_exception"):
        raise ValidationError("该计划已有逾期备案特批。")
    exception = LateFilingException.objects.create(plan=plan, granted_by=actor, reason=reason)
    plan_risk_facts_refresh(plan_ids=[plan.pk])
    plan_transition(plan=plan, method=None, actor=actor, reason=f"批准逾期备案：{reason}")
    return exception


def plans_advance_by_clock(*, now: dt.datetime | None = None) -> int:
    """Move approved plans into training when they start, and out of it when they end."""
    now = now or timezone.now()
    moved = 0
    for method, state, field in (("start_training", PlanState.APPROVED, "starts_at"),
                                 ("end_training", PlanState.IN_TRAINING, "ends_at")):
        for pk in TrainingPlan.objects.filter(state=state, **{f"{field}__lte": now}).values_list("pk", flat=True):
            with transaction.atomic():
                plan = plan_lock(TrainingPlan(pk=pk))
                if can_proceed(getattr(plan, method)):
                    plan_transition(plan=plan, method=method, actor=None, reason="按培训时间自动变更")
                    moved += 1
    return moved

"""Deadlines of training plans and their reports, derived from the plan's state and the rules in force
(registered from FilingsConfig.ready()). Each is the function that defines it elsewhere too:
`last_filing_moment` (through `filing_deadline`) for filing, `report_due_at` for the report.

| kind            | plan state       | deadline                                      | who                            |
| plan_filing     | draft            | start − plan_lead_days (last filing moment)   | the organiser                  |
| plan_review     | submitted        | training start                                | reviewers; the authority above from the day before |
| report_due      | awaiting_report  | report.due_at, else end day + report_days     | organiser; reviewers once late |
| plan_revision   | returned         | end of (returned day + revision_days)         | the organiser                  |
| report_revision | report_returned  | end of (returned day + revision_days)         | the organiser                  |

The object key carries the cycle (deadline day, submission or return time), so a plan returned
twice, or whose start moves, gets a fresh series of reminders.

`revision_days` is the plan's authority's own setting (rules.AuthoritySettings; no notice sets one).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from filings.models import PlanState, TrainingPlan
from filings.reports import report_due_at
from filings.services import filing_deadline
from jurisdiction.calendar import days_in_words, end_of_day, local_date
from jurisdiction.models import Division
from notifications.deadlines import Deadline, DeadlineSource, register_source
from notifications.deadlines.context import SweepContext
from rules.deadlines import sweep_param_range, sweep_policy
from rules.models import AuthoritySettings
from rules.selectors import Policy, authority_settings


def _plans(state: str, user):
    qs = TrainingPlan.objects.filter(state=state).select_related("organiser__division")
    if user is not None:
        qs = qs.filter(Q(organiser_id=user.organisation_id) | Q(authority_id=user.organisation_id))
    return qs


def _url(ctx: SweepContext, pk: int) -> str:
    return ctx.object_url("filings:plan_detail", pk)


def _name(plan) -> str:
    """`plan`: a TrainingPlan or a row with its title and filing number."""
    return f"培训计划“{plan.title}”（{plan.filing_no}）"


class _DraftRow(NamedTuple):
    pk: int
    title: str
    filing_no: str
    starts_at: dt.datetime
    organiser_id: int
    division_id: int


def collect_filing(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    """Draft plans read as plain rows: a sweep sees every draft starting within weeks, each sweep."""
    low, high = sweep_param_range(ctx, "plan_lead_days", 14)
    qs = _plans(PlanState.DRAFT, user).filter(
        starts_at__gte=start + dt.timedelta(days=low), starts_at__lte=end + dt.timedelta(days=high))
    divisions = ctx.memo("divisions", Division.objects.in_bulk)
    policies: dict[tuple[int, dt.date], tuple[Policy, str]] = {}
    fields = ("pk", "title", "filing_no", "starts_at", "organiser_id", "organiser__division_id")
    for plan in map(_DraftRow._make, qs.values_list(*fields)):
        on = (plan.division_id, plan.starts_at.astimezone(ctx.tz).date())
        if on not in policies:
            policy = sweep_policy(ctx, divisions[on[0]], on[1])
            policies[on] = policy, f"请在截止前提交培训计划备案（培训前{days_in_words(policy['plan_lead_days'])}）。"
        policy, action = policies[on]
        due = filing_deadline(starts_at=plan.starts_at, policy=policy)
        if start <= due <= end:
            yield Deadline(
                kind="plan_filing", object_key=f"plan:{plan.pk}@{local_date(due, ctx.tz):%Y%m%d}", due_at=due,
                title=f"{_name(plan)}备案截止", action=action, url=_url(ctx, plan.pk),
                recipients=ctx.organisers_of(plan.organiser_id))


def collect_review(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    for plan in _plans(PlanState.SUBMITTED, user).filter(starts_at__gte=start, starts_at__lte=end):
        cycle = plan.submitted_at or plan.starts_at
        yield Deadline(
            kind="plan_review", object_key=f"plan:{plan.pk}@{cycle:%Y%m%d%H%M%S}", due_at=plan.starts_at,
            title=f"{_name(plan)}待审核，培训即将开始", action="请在培训开始前完成审核。",
            url=_url(ctx, plan.pk), recipients=ctx.reviewers_of(plan.authority_id),
            escalate_to=ctx.parent_reviewers_of(plan.authority_id))


def _report_due(ctx: SweepContext, plan: TrainingPlan) -> tuple[dt.datetime, int]:
    """The due moment (the one recorded at the first submission, else the rule's), and the rule's days."""
    policy = sweep_policy(ctx, plan.organiser.division, local_date(plan.ends_at))
    report = getattr(plan, "report", None)
    if report is not None and report.due_at:
        return report.due_at, policy["report_days"]
    return report_due_at(plan, policy=policy), policy["report_days"]


def collect_report(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    low, high = sweep_param_range(ctx, "report_days", 14)
    by_report = Q(report__due_at__gte=start, report__due_at__lte=end)
    by_end = Q(report__isnull=True, ends_at__gte=start - dt.timedelta(days=high + 1),
               ends_at__lte=end - dt.timedelta(days=low - 1))
    qs = _plans(PlanState.AWAITING_REPORT, user).filter(by_report | by_end).select_related("report")
    for plan in qs:
        due, days = _report_due(ctx, plan)
        if start <= due <= end:
            yield Deadline(
                kind="report_due", object_key=f"report:{plan.pk}@{local_date(due):%Y%m%d}", due_at=due,
                title=f"{_name(plan)}培训情况报告及花名册提交截止",
                action=f"请在培训结束后{days_in_words(days)}内上传培训情况报告和培训花名册。", url=_url(ctx, plan.pk),
                recipients=ctx.organisers_of(plan.organiser_id), escalate_to=ctx.reviewers_of(plan.authority_id))


def _longest_revision_days(ctx: SweepContext) -> int:
    """For the SQL prefilter: the longest period any authority set (the default where none did)."""
    default = AuthoritySettings._meta.get_field("revision_days").default
    return ctx.memo(("longest_revision_days",), lambda: max(default, AuthoritySettings.objects.aggregate(
        longest=Coalesce(Max("revision_days"), default))["longest"]))


def _revision_days(ctx: SweepContext, plan: TrainingPlan) -> int:
    return ctx.memo(("revision_days", plan.authority_id), lambda: authority_settings(plan.authority).revision_days)


def _revision_due(returned_at: dt.datetime, days: int) -> dt.datetime:
    return end_of_day(local_date(returned_at) + dt.timedelta(days=days))


def _revision_setting(plan: TrainingPlan, days: int) -> str:
    return f"修改期限：退回后{days_in_words(days)}（{plan.authority.name}的设置，非通知规定）。"


def _last_return(state: str):
    """A return moves the plan into `state`; an edit of the returned plan is logged in place and starts no cycle."""
    return Max("transitions__at", filter=Q(transitions__to_state=state) & ~Q(transitions__from_state=state))


def revision_notice(plan: TrainingPlan) -> str:
    """What the plan page says while a returned plan or report awaits revision: by when, and that the period
    is the authority's setting, not a notice's rule."""
    if plan.state not in (PlanState.RETURNED, PlanState.REPORT_RETURNED):
        return ""
    returned_at = TrainingPlan.objects.filter(pk=plan.pk).aggregate(at=_last_return(plan.state))["at"]
    if returned_at is None:
        return ""
    days = authority_settings(plan.authority).revision_days
    due = local_date(_revision_due(returned_at, days))
    return f"请于{due.year}年{due.month}月{due.day}日前按审核意见修改后重新提交。{_revision_setting(plan, days)}"


def _revisions(ctx, start, end, user, *, state: str, kind: str, title: str, action: str):
    longest = _longest_revision_days(ctx)
    qs = _plans(state, user).select_related("authority").annotate(returned_at=_last_return(state)).filter(
        returned_at__gte=start - dt.timedelta(days=longest + 1), returned_at__lte=end)
    for plan in qs:
        days = _revision_days(ctx, plan)
        due = _revision_due(plan.returned_at, days)
        if start <= due <= end:
            setting = _revision_setting(plan, days)
            yield Deadline(
                kind=kind, object_key=f"plan:{plan.pk}@{plan.returned_at:%Y%m%d%H%M%S}", due_at=due,
                title=f"{_name(plan)}{title}", action=action + setting, url=_url(ctx, plan.pk),
                recipients=ctx.organisers_of(plan.organiser_id))


def collect_plan_revision(ctx, start, end, user=None):
    return _revisions(ctx, start, end, user, state=PlanState.RETURNED, kind="plan_revision",
                      title="已退回，待修改后重新提交", action="请按审核意见修改后重新提交。")


def collect_report_revision(ctx, start, end, user=None):
    return _revisions(ctx, start, end, user, state=PlanState.REPORT_RETURNED, kind="report_revision",
                      title="的培训情况报告已退回，待修改", action="请按审核意见修改培训情况报告后重新提交。")


register_source(DeadlineSource("plan_filing", "培训计划备案截止", collect_filing, offsets=(-7, -3, -1, 0)))
register_source(DeadlineSource("plan_review", "培训计划待审核", collect_review, offsets=(-7, -3, -1, 0),
                               escalate_from=-1))
register_source(DeadlineSource("report_due", "培训情况报告提交截止", collect_report,
                               offsets=(-7, -3, -1, 0, 1, 7), escalate_from=1))
register_source(DeadlineSource("plan_revision", "退回计划待修改", collect_plan_revision, offsets=(-3, -1, 0, 1, 7)))
register_source(DeadlineSource("report_revision", "退回报告待修改", collect_report_revision,
                               offsets=(-3, -1, 0, 1, 7)))

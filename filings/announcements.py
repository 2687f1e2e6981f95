"""Who is told about a plan decision, and what: through notifications' event pipeline.

`plan_transition` calls `plan_announce` for every transition it writes; the decisions below are
announced to the organiser's active staff accounts (in-app, and email/SMS as each chose). When hours
are certified, each trainee who has an account is also told to print the audit card (2026 §一(六)2:
及时通知专业技术人员……自行打印审验卡). The event key is the transition's log row, so one decision
is announced once, however often the delivery is retried.
"""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from accounts.selectors import organisation_staff
from filings.models import PlanTransition, TrainingPlan
from ledger.models import HourEntry
from notifications.events import EventKind, event_notify, register_event_kind

PLAN_DECISION = register_event_kind(EventKind("plan_decision", "培训计划审核结果"))
REPORT_DECISION = register_event_kind(EventKind("report_decision", "培训情况报告审核结果"))
HOURS_CERTIFIED = register_event_kind(EventKind("hours_certified", "学时核定结果"))
CARD_READY = register_event_kind(EventKind("card_ready", "本人学时已核定（可打印审验卡）"))

# transition → (kind, headline). The reason, when given, follows the headline.
DECIDED = {
    "approve": (PLAN_DECISION, "培训计划已同意备案"),
    "return_for_revision": (PLAN_DECISION, "培训计划被退回修改"),
    "reject": (PLAN_DECISION, "培训计划不予备案"),
    "accept_report": (REPORT_DECISION, "培训情况报告已通过审核，等待核定学时"),
    "return_report": (REPORT_DECISION, "培训情况报告被退回修改"),
    "certify": (HOURS_CERTIFIED, "培训学时已核定"),
}


def organiser_staff(plan: TrainingPlan) -> list[int]:
    return organisation_staff(plan.organiser_id, Role.ORGANISER)


def certified_trainees(plan: TrainingPlan) -> list[int]:
    """Accounts of the trainees credited by the plan's certification."""
    return list(HourEntry.objects.filter(plan=plan, kind=HourEntry.Kind.CREDIT, person__user__is_active=True)
                .values_list("person__user_id", flat=True).distinct())


def plan_announce(*, plan: TrainingPlan, method: str | None, log: PlanTransition) -> int:
    """Announce the decision `method` just taken on the plan (logged as `log`); other moves announce nothing."""
    if method not in DECIDED:
        return 0
    kind, headline = DECIDED[method]
    key = f"plan-transition:{log.pk}"
    body = f"“{plan.title}”（{plan.filing_no}）：{headline}。"
    if log.reason:
        body += f"理由：{log.reason}"
    told = event_notify(kind=kind.kind, object_key=key, recipients=organiser_staff(plan),
                        title=f"{headline}：{plan.filing_no}", body=body,
                        url=reverse("filings:plan_detail", args=[plan.pk]))
    if method == "certify":
        told += event_notify(
            kind=CARD_READY.kind, object_key=key, recipients=certified_trainees(plan),
            title="您的继续教育学时已核定",
            body=(f"您参加的“{plan.title}”（{plan.filing_no}）学时已核定，计入{plan.credit_year}年度。"
                  "请登录系统查看本人学时，并自行打印审验卡。"),
            url=reverse("rules:my_eligibility"))
    return told

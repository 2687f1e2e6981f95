"""Thin views: validate input, fetch through a scoped selector, call one service, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from common.actions import run_service
from common.lists import Column, export_xlsx, filtered, list_page, wants_export
from filings import decision_window, rule_facts, services
from filings.deadlines import revision_notice
from filings.filters import PlanFilter
from filings.forms import PlanForm, ReasonForm, TeacherFormSet
from filings.models import REPORT_STAGE_STATES, PlanState, TrainingPlan
from filings.permissions import can_decide, is_plan_organiser, require_organiser
from filings.review_process import review_process
from filings.roster.services import can_upload_roster
from filings.selectors import plan_actions, plans_listed_for, plans_visible_to
from filings.spreadsheets.plan_filing_form import PRINTABLE_STATES
from filings.validation import validate_plan_fields

PLAN_COLUMNS = [
    Column("备案编号", lambda p: p.filing_no),
    Column("培训名称", lambda p: p.title),
    Column("组织单位", lambda p: p.organiser.name),
    Column("所在区划", lambda p: p.organiser.division.name),
    Column("科目", lambda p: p.get_subject_display()),
    Column("方式", lambda p: p.get_mode_display()),
    Column("开始时间", lambda p: p.starts_at),
    Column("结束时间", lambda p: p.ends_at),
    Column("每人学时", lambda p: p.hours),
    Column("计划人数", lambda p: p.planned_headcount),
    Column("学时计入年度", lambda p: p.credit_year),
    Column("状态", lambda p: p.get_state_display()),
]


def _organiser_only(user):
    require_organiser(user, message="只有培训组织单位经办人可以填报培训计划。")


@login_required
def plan_list(request):
    if request.user.role not in (Role.ORGANISER, Role.REVIEWER, Role.INSPECTOR, Role.ADMIN):
        raise PermissionDenied("您的角色不能查看培训计划。")
    plans = plans_listed_for(request.user)
    if wants_export(request):
        _, rows = filtered(request, plans, PlanFilter)
        return export_xlsx(rows, PLAN_COLUMNS, filename=f"培训计划-{timezone.localdate():%Y%m%d}.xlsx",
                           title="培训计划")
    listing = list_page(request, plans, PlanFilter)
    return render(request, "filings/plan_list.html", {"listing": listing, "plans": listing.rows,
                                                      "now": timezone.now()})


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user).prefetch_related("teachers", "transitions__actor"), pk=pk)
    decider = can_decide(plan, request.user)
    context = {
        "plan": plan,
        "is_owner": is_plan_organiser(request.user, plan),
        "actions": plan_actions(request.user, plan),
        "can_edit": is_plan_organiser(request.user, plan) and plan.state in services.EDITABLE_STATES,
        "can_decide": decider and plan.state in (PlanState.SUBMITTED, *services.EDITABLE_STATES),
        "can_allow_late": decider and plan.state in services.EDITABLE_STATES and not hasattr(plan, "late_exception"),
        "can_upload_roster": can_upload_roster(plan, request.user),
        "has_report": plan.state in REPORT_STAGE_STATES,
        "claimed_by": review_process().claimed_by(plan),
        "printable": plan.state in PRINTABLE_STATES,
        "last_filing": services.last_filing_moment(plan),
        "reason_form": ReasonForm(),
        "now": timezone.now(),
        "revision_notice": revision_notice(plan),
    }
    policy = rule_facts.plan_policy(plan.organiser.division, plan.starts_at)
    context["fee_cap"] = rule_facts.fee_cap(policy, subject=plan.subject, mode=plan.mode, hours=plan.hours)
    context["fee_notice"] = policy.notice
    if plan.state == PlanState.SUBMITTED and decision_window.approval_closed(plan, context["now"]):
        context["approval_closed"] = decision_window.closed_message(plan)
    return render(request, "filings/plan_detail.html", context)


def _apply_errors(form, formset, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            if field == "teachers":
                formset._non_form_errors = formset.error_class(errs)
            else:
                form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def _teachers(formset) -> list[dict]:
    return [
        {k: f.cleaned_data.get(k, "") for k in ("name", "title", "employer")}
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and f.cleaned_data.get("name")
    ]


def _report_the_rest(form, formset, organisation) -> None:
    """A form with missing or malformed fields also gets the plan's own checks on what was filled in, so
    every problem shows on the first submit (not the missing fields first and the rest on the next)."""
    if organisation is None:
        return
    try:
        validate_plan_fields(dict(form.cleaned_data), teachers=_teachers(formset), organisation=organisation,
                             now=timezone.now())
    except ValidationError as error:
        _apply_errors(form, formset, _without(error, set(form.errors)))


def _without(error: ValidationError, fields: set[str]) -> ValidationError:
    """The errors of `error` for the fields not already in error (one message per field is enough)."""
    return ValidationError({f: msgs for f, msgs in error.message_dict.items() if f not in fields})


def _plan_form_view(request, plan=None):
    data = request.POST if request.method == "POST" else None  # an empty POST is bound: it reports the missing
    form = PlanForm(data, instance=plan)
    formset = TeacherFormSet(data, instance=plan or TrainingPlan(), prefix="teachers")
    valid = request.method == "POST" and all([form.is_valid(), formset.is_valid()])  # both, for all errors
    if request.method == "POST" and not valid:
        _report_the_rest(form, formset, plan.organiser if plan else request.user.organisation)
    if valid:
        try:
            if plan is None:
                plan = services.plan_create(actor=request.user, data=form.cleaned_data, teachers=_teachers(formset))
            else:
                plan = services.plan_update(plan=plan, actor=request.user, data=form.cleaned_data,
                                            teachers=_teachers(formset))
        except ValidationError as error:
            _apply_errors(form, formset, error)
        else:
            messages.success(request, f"培训计划已保存为草稿，备案编号 {plan.filing_no}。")
            if warning := services.plan_lead_time_warning(plan):
                messages.warning(request, warning)
            return redirect("filings:plan_detail", pk=plan.pk)
    return render(request, "filings/plan_form.html", {"form": form, "formset": formset, "plan": plan})


@login_required
def plan_create(request):
    _organiser_only(request.user)
    return _plan_form_view(request)


@login_required
def plan_edit(request, pk: int):
    _organiser_only(request.user)
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    return _plan_form_view(request, plan)


def _act(request, pk: int, action, success: str):
    plan = get_object_or_404(plans_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    return run_service(request, lambda: action(plan, form.cleaned_data.get("reason", "")), success=success,
                       then="filings:plan_detail", then_args=(pk,))


@login_required
@require_POST
def plan_submit(request, pk: int):
    return _act(request, pk, lambda p, r: services.plan_submit(plan=p, actor=request.user), "计划已提交审核。")


@login_required
@require_POST
def plan_withdraw(request, pk: int):
    return _act(request, pk, lambda p, r: services.plan_withdraw(plan=p, actor=request.user, reason=r), "计划已撤回。")


@login_required
@require_POST
def plan_cancel(request, pk: int):
    return _act(request, pk, lambda p, r: services.plan_cancel(plan=p, actor=request.user, reason=r), "计划已取消。")


@login_required
@require_POST
def plan_decide(request, pk: int, decision: str):
    labels = {"approve": "已同意备案。", "return": "已退回修改。", "reject": "已作出不予备案决定。"}
    if decision not in labels:
        raise PermissionDenied("未知的审核操作。")
    return _act(
        request, pk,
        lambda p, r: services.plan_decide(plan=p, actor=request.user, decision=decision, reason=r),
        labels[decision],
    )


@login_required
@require_POST
def plan_late_exception(request, pk: int):
    return _act(
        request, pk,
        lambda p, r: services.plan_grant_late_exception(plan=p, actor=request.user, reason=r),
        "已批准逾期备案，组织单位现在可以提交该计划。",
    )

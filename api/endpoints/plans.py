"""Plans: file a draft, list and read the organisation's plans, submit, put the roster.

Each write calls the same service as the web (filings.services, filings.roster.services) as the client's
technical user, so lead time, permissions, state checks and transition rows are the web's own.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Query, Router, Status

from api.endpoints.common import (
    client_of,
    decode_cursor,
    encode_cursor,
    plan_to_read,
    plan_to_write,
    plans_with_updates,
)
from api.problems import ApiProblem, error_row
from api.schemas import Moment, PlanDetailOut, PlanIn, PlanPage, Problem, RosterIn, RosterOut, State
from filings import services
from filings.models import PlanState, TrainingPlan
from filings.reports import report_due_at
from filings.roster.columns import BY_HEADER
from filings.roster.services import UPLOAD_STATES, RosterOutcome, roster_import_rows
from filings.roster.services import Status as RosterStatus
from jurisdiction.models import Organisation

router = Router(tags=["plans"])
ERRORS = {code: Problem for code in (400, 401, 403, 404, 409, 413, 422, 429)}
PAGE_SIZE = 50
SUBMITTABLE = (PlanState.DRAFT, PlanState.RETURNED)
REPORT_STATES = (PlanState.AWAITING_REPORT, PlanState.REPORTED, PlanState.REPORT_RETURNED,
                 PlanState.REPORT_ACCEPTED, PlanState.CERTIFIED)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _due(plan: TrainingPlan) -> dt.datetime | None:
    report = getattr(plan, "report", None)
    if report is not None:
        return _local(report.due_at)
    return _local(report_due_at(plan)) if plan.state in REPORT_STATES else None


def plan_out(plan: TrainingPlan) -> dict:
    fields = {f: getattr(plan, f) for f in ("filing_no", "state", "title", "subject", "mode", "place", "content",
                                            "trainee_scope", "planned_headcount", "hours", "contact_person",
                                            "contact_phone", "credit_year", "platform")}
    return fields | {
        "starts_at": _local(plan.starts_at), "ends_at": _local(plan.ends_at), "fee": float(plan.fee),
        "teachers": [{"name": t.name, "title": t.title, "employer": t.employer} for t in plan.teachers.all()],
        "report_due_at": _due(plan), "updated_at": _local(getattr(plan, "updated_at", None) or plan.created_at),
    }


@router.post("", response={201: PlanDetailOut, **ERRORS}, url_name="plan_create", by_alias=True, summary="创建培训计划草稿")
def plan_create(request, payload: PlanIn):
    client = client_of(request, "plans")
    data = payload.model_dump(exclude={"teachers"})
    teachers = [t.model_dump() for t in payload.teachers]
    try:
        plan = services.plan_create(actor=client.service_user, data=data, teachers=teachers)
    except Organisation.DoesNotExist as problem:
        raise ApiProblem(422, str(problem)) from None
    return Status(201, _detail(plan_to_read(client, plan.filing_no)))


def _detail(plan: TrainingPlan) -> dict:
    history = [{"from": t.from_state, "to": t.to_state, "at": _local(t.at), "reason": t.reason}
               for t in plan.transitions.order_by("at", "pk")]
    return plan_out(plan) | {"history": history}


@router.get("", response={200: PlanPage, **ERRORS}, url_name="plan_list", summary="本单位的培训计划（新的在前）")
def plan_list(request, state: State | None = None, year: int | None = Query(None, ge=1900, le=2200),
              updated_since: Moment | None = None, cursor: str | None = None,
              limit: int = Query(PAGE_SIZE, ge=1, le=200)):
    client = client_of(request, "plans")
    plans = plans_with_updates().filter(organiser=client.organisation).order_by("-pk")
    if state:
        plans = plans.filter(state=state)
    if year:
        plans = plans.filter(starts_at__year=year)
    if updated_since:
        plans = plans.filter(updated_at__gte=updated_since)
    if cursor:
        plans = plans.filter(pk__lt=decode_cursor(cursor, ("before",))["before"])
    page = list(plans[:limit + 1])
    following = None
    if len(page) > limit:
        page = page[:limit]
        query = {k: v for k, v in request.GET.items() if k != "cursor"} | {"cursor": encode_cursor(
            {"before": page[-1].pk})}
        following = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    return {"results": [plan_out(p) for p in page], "next": following}


@router.get("/{filing_no}", response={200: PlanDetailOut, **ERRORS}, url_name="plan_detail", by_alias=True,
            summary="培训计划详情与状态历史")
def plan_detail(request, filing_no: str):
    client = client_of(request, "plans")
    return _detail(plan_to_read(client, filing_no))


@router.post("/{filing_no}/submit", response={200: PlanDetailOut, **ERRORS}, url_name="plan_submit", by_alias=True,
             summary="提交审核（须在备案期限前）")
def plan_submit(request, filing_no: str):
    client = client_of(request, "plans")
    plan = plan_to_write(client, filing_no)
    if plan.state not in SUBMITTABLE:
        raise ApiProblem(409, f"计划当前状态为“{plan.get_state_display()}”（{plan.state}），不能提交。")
    try:
        services.plan_submit(plan=plan, actor=client.service_user)
    except ValidationError as problem:
        deadline = _local(services.last_filing_moment(plan))
        raise ApiProblem(422, "；".join(problem.messages),
                         [error_row(None, "starts_at", f"最迟提交时间：{deadline.isoformat()}")]) from None
    return _detail(plan_to_read(client, filing_no))


def _roster_rows(outcome: RosterOutcome) -> list[dict]:
    rows = []
    for problem in outcome.errors or outcome.warnings:
        column = BY_HEADER.get(problem.get("column", ""))
        rows.append(error_row(problem.get("row"), column.key if column else (problem.get("column") or None),
                              problem["message"]))
    return rows


@router.put("/{filing_no}/roster", response={200: RosterOut, **ERRORS}, url_name="plan_roster",
            summary="上传花名册（与表格上传相同的检查；dry_run=true 只检查）")
def plan_roster(request, filing_no: str, payload: RosterIn, dry_run: bool = False, confirm_headcount: bool = False):
    client = client_of(request, "rosters")
    plan = plan_to_write(client, filing_no)
    if plan.state not in UPLOAD_STATES:
        raise ApiProblem(409, f"计划当前状态为“{plan.get_state_display()}”（{plan.state}），不能上传花名册"
                              "（培训结束后、提交培训情况报告前可以上传）。")
    rows = [row.model_dump() for row in payload.rows]
    outcome = roster_import_rows(plan=plan, rows=rows, confirmed=confirm_headcount, dry_run=dry_run)
    if outcome.status == RosterStatus.FAILED:
        raise ApiProblem(422, f"花名册有 {len(outcome.errors)} 处错误，未导入。请逐条修改后重新提交。",
                         _roster_rows(outcome))
    if outcome.status == RosterStatus.NEEDS_CONFIRMATION:
        raise ApiProblem(422, outcome.warnings[0]["message"] + "确认无误请加参数 confirm_headcount=true 重新提交。",
                         _roster_rows(outcome))
    imported = 0 if dry_run else outcome.total_rows
    return {"imported": imported, "anomalies": outcome.anomalies, "checked": outcome.total_rows, "dry_run": dry_run}

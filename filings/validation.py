"""Field checks for a training plan, shared by the web form and the spreadsheet import.

Every problem is reported at once, keyed by field, in Chinese.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from filings import rule_facts
from filings.models import Mode, Subject
from jurisdiction.models import Organisation
from jurisdiction.selectors import supervising_authority
from rules.selectors import authority_settings, policy_for

MAX_HEADCOUNT = 100_000


def _days_covered(start: dt.datetime, end: dt.datetime) -> int:
    return (timezone.localtime(end).date() - timezone.localtime(start).date()).days + 1


def validate_plan_fields(data: dict, *, teachers: list[dict], organisation: Organisation, now: dt.datetime) -> None:
    errors: dict[str, str] = {}
    start, end = data.get("starts_at"), data.get("ends_at")
    if data.get("subject") not in Subject.values:
        errors["subject"] = f"科目类别“{data.get('subject')}”无效，应为公需科目或专业科目。"
    if data.get("mode") not in Mode.values:
        errors["mode"] = f"培训方式“{data.get('mode')}”无效，应为面授、网络或线上+线下。"
    if start and end:
        if end <= start:
            errors["ends_at"] = "结束时间必须晚于开始时间。"
        if start <= now:
            errors["starts_at"] = "开始时间不能早于当前时间。"
    headcount = data.get("planned_headcount")
    if headcount is None or headcount <= 0 or headcount > MAX_HEADCOUNT:
        errors["planned_headcount"] = f"计划人数应为 1 至 {MAX_HEADCOUNT} 之间的整数。"
    hours = data.get("hours")
    if hours is None or hours <= 0:
        errors["hours"] = "每人学时必须大于 0。"
    elif start and end and end > start and (error := _hours_per_day_error(organisation, hours, start, end)):
        errors["hours"] = error
    if data.get("mode") in (Mode.FACE_TO_FACE, Mode.MIXED) and not teachers:
        errors["teachers"] = "面授（含线上+线下）培训须填写至少一名师资。"
    if start and "credit_year" not in errors:
        _check_credit_year(data, organisation, start, errors)
    if start and "subject" not in errors and "mode" not in errors:
        _check_rule_facts(data, organisation, start, errors)
    if errors:
        raise ValidationError(errors)


def _hours_per_day_error(organisation: Organisation, hours: int, start: dt.datetime, end: dt.datetime) -> str:
    """The reviewing authority's own ceiling on class hours a day (no notice sets one; issue 15 item 12)."""
    try:
        authority = supervising_authority(organisation)
    except Organisation.DoesNotExist:
        authority = None
    per_day = authority_settings(authority).max_hours_per_day
    days = _days_covered(start, end)
    if per_day is None or hours <= per_day * days:
        return ""
    who = authority.name if authority is not None else "审核部门"
    return f"培训共 {days} 天，按{who}的设置（非通知规定）每天最多 {per_day} 学时，学时不能超过 {per_day * days}。"


def _check_rule_facts(data: dict, organisation: Organisation, start: dt.datetime, errors: dict) -> None:
    """The platform of an online plan and the department's approval, where the rules in force ask."""
    policy = rule_facts.plan_policy(organisation.division, start)
    platform = (data.get("platform") or "").strip()
    if not platform and data["mode"] != Mode.FACE_TO_FACE:
        platform = rule_facts.platform_from_place(policy, subject=data["subject"], place=data.get("place") or "")
        if platform:
            data["platform"] = platform  # the spreadsheet import names the platform in 培训地点或平台
    if error := rule_facts.platform_error(policy, subject=data["subject"], mode=data["mode"], platform=platform):
        errors["platform"] = error
    approval = rule_facts.approval_errors(
        policy, training_kind=data.get("training_kind") or "", reference=data.get("approval_reference") or "",
        approved_on=data.get("approval_date"), starts_on=timezone.localtime(start).date())
    if approval and data.get("approval_reference"):  # at filing, only a given approval is checked
        errors["approval_date"] = approval[0]
    if error := rule_facts.fee_error(policy, subject=data["subject"], mode=data["mode"], hours=data.get("hours"),
                                     fee=data.get("fee")):
        errors["fee"] = error


def _check_credit_year(data: dict, organisation: Organisation, start: dt.datetime, errors: dict) -> None:
    """A make-up training (补学) may count toward one of the earlier years the rules allow."""
    year = timezone.localtime(start).year
    credit_year = data.get("credit_year") or year
    data["credit_year"] = credit_year
    policy = policy_for(division=organisation.division, on=timezone.localtime(start).date())
    opens = policy["training_year"]["start"]  # Xilingol 2024: "培训时间从2024年1月15日" (01-15)
    if credit_year == year and timezone.localtime(start).strftime("%m-%d") < opens:
        month, day = (int(part) for part in opens.split("-"))
        errors["credit_year"] = f"{year}年继续教育培训时间从{year}年{month}月{day}日开始，此前开始的培训不能计入{year}年。"
        return
    makeup_years = policy["makeup_years"]
    if makeup_years is None:  # the notice sets no limit on make-up study (2026 §一(二))
        if credit_year > year:
            errors["credit_year"] = f"学时计入年度不能晚于培训当年（{year} 年）。"
        return
    if not year - makeup_years <= credit_year <= year:
        errors["credit_year"] = f"学时计入年度应在 {year - makeup_years} 年至 {year} 年之间（补学最多追溯 {makeup_years} 年）。"

"""Facts a plan or roster must carry where the rule set in force says so (rules migration 0010):
the recognised platform of an online plan, the supervising department's prior approval or consent,
and the exam result of a public-subject trainee. Checked at filing and again before certification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from filings.models import Mode, TrainingKind, TrainingPlan
from rules.selectors import Policy, policy_for


def plan_policy(division, starts_at: dt.datetime) -> Policy:
    return policy_for(division=division, on=timezone.localtime(starts_at).date())


def platform_from_place(policy: Policy, *, subject: str, place: str) -> str:
    """The listed platform that `place` (培训地点或平台) names by address or by name, or ""."""
    for entry in policy.params.get("platforms", {}).get(subject) or []:
        if entry["host"] in place or entry["name"] in place:
            return entry["host"]
    return ""


def platform_error(policy: Policy, *, subject: str, mode: str, platform: str) -> str:
    """Why the plan's platform is not acceptable under `policy`, or ""."""
    listed = policy.params.get("platforms", {}).get(subject)
    if listed is None:
        return ""
    hosts = [p["host"] for p in listed]
    names = "；".join(f"{p['name']}（{p['host']}）" for p in listed)
    where = f"《{policy.notice.title}》" if policy.notice else "现行通知"
    if platform and platform not in hosts:
        return f"平台“{platform}”不在{where}公布的平台中，可选：{names}。"
    if mode == Mode.ONLINE and not platform:
        return f"网络培训须选择{where}公布的平台之一：{names}。"
    return ""


def fee_cap(policy: Policy, *, subject: str, mode: str, hours: int) -> Decimal | None:
    """The most an online training may charge per person under the fees the notice sets, or None.

    Xilingol 2024 §八: public subjects "30个学时共75元"; professional subjects online "2.50元/学时"."""
    fees = policy.params.get("fees")
    if not fees or mode != Mode.ONLINE:
        return None
    if subject == "public":
        return (Decimal(fees["public_per_30_hours_yuan"]) * hours / 30).quantize(Decimal("0.01"))
    return (Decimal(fees["professional_online_per_hour_yuan"]) * hours).quantize(Decimal("0.01"))


def fee_error(policy: Policy, *, subject: str, mode: str, hours, fee) -> str:
    if not hours or fee is None or hours <= 0:
        return ""
    cap = fee_cap(policy, subject=subject, mode=mode, hours=hours)
    if cap is not None and Decimal(fee) > cap:
        where = f"《{policy.notice.title}》" if policy.notice else "现行通知"
        return f"收费标准超过{where}规定：{hours} 学时每人最多 {cap} 元。"
    return ""


def approval_errors(policy: Policy, *, training_kind: str, reference: str, approved_on, starts_on) -> list[str]:
    rule = policy.params.get("prior_approval", {}).get(training_kind)
    if not training_kind or rule is None:
        return []
    label = TrainingKind(training_kind).label
    if not reference.strip():
        return [f"{label}须经{rule['label']}：请填写{rule['label']}的文件或说明。"]
    if rule.get("before_start") and (approved_on is None or approved_on > starts_on):
        return [f"{label}须经{rule['label']}后开展：请填写不晚于培训开始日（{starts_on:%Y-%m-%d}）的审核同意日期。"]
    return []


def exam_required(policy: Policy, subject: str) -> bool:
    return subject == "public" and bool(policy.params.get("public_exam_required"))


def certification_problems(plan: TrainingPlan, rows) -> list[str]:
    """What the rules in force still need before this plan's hours can be certified."""
    policy = plan_policy(plan.organiser.division, plan.starts_at)
    problems = approval_errors(policy, training_kind=plan.training_kind, reference=plan.approval_reference,
                               approved_on=plan.approval_date, starts_on=timezone.localtime(plan.starts_at).date())
    if error := platform_error(policy, subject=plan.subject, mode=plan.mode, platform=plan.platform):
        problems.append(error)
    if exam_required(policy, plan.subject):
        unknown = [f"第 {row.seq} 号 {row.name}" for row in rows if row.exam_passed is None]
        if unknown:
            problems.append(f"公需科目须考试合格后取得学时，花名册中以下人员未填写考试结果：{'、'.join(unknown)}。")
    return problems


def exam_failed(plan: TrainingPlan, row) -> bool:
    """A public-subject trainee who did not pass, where the rules credit hours only after the exam."""
    return row.exam_passed is False and exam_required(plan_policy(plan.organiser.division, plan.starts_at),
                                                       plan.subject)

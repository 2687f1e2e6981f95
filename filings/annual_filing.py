"""Annual filing deadlines that refuse what comes late (Songshan 2025: "逾期不予受理").

A rule set's `annual_deadlines` item with `refuse_late` binds the organisers it names (`who`:
"department" = industry departments) for plans of its `subject` (if given) starting in that year:
once the day has passed, such a plan is no longer accepted. Items without `refuse_late` (Xilingol's
31 January, the region's knowledge-update table) are reminders only (notifications.deadlines.annual).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from filings.models import TrainingPlan
from jurisdiction.models import Organisation
from rules.selectors import policy_for

WHO_KINDS = {"department": {Organisation.Kind.INDUSTRY_DEPT}}


def _binds(item: dict, plan: TrainingPlan) -> bool:
    kinds = WHO_KINDS.get(item.get("who", ""))
    if kinds is not None and plan.organiser.kind not in kinds:
        return False
    return not item.get("subject") or item["subject"] == plan.subject


def late_annual_filing(plan: TrainingPlan, now: dt.datetime) -> str:
    """The refusal for a plan submitted after a refusing annual deadline of its year, or ""."""
    start = timezone.localtime(plan.starts_at).date()
    policy = policy_for(division=plan.organiser.division, on=start)
    for item in policy.params.get("annual_deadlines", []):
        if not item.get("refuse_late") or not _binds(item, plan):
            continue
        month, day = (int(part) for part in item["month_day"].split("-"))
        deadline = dt.date(start.year, month, day)
        if timezone.localtime(now).date() > deadline:
            return (f"{start.year}年{item['label']}的截止日期为 {deadline:%Y年%m月%d日}，"
                    f"已逾期，按{policy.notice.issuer if policy.notice else ''}通知规定逾期不予受理。")
    return ""

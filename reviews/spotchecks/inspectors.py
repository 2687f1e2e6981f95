"""Drawing inspectors for selected trainings (双随机: random trainings, random inspectors), with recusal.

Order: for each selection in rank order, the eligible inspectors are sorted by
HMAC-SHA256(seed, "inspector|filing_no|user id") and the first `inspectors_per_training` taken.
Eligible: an active inspector of the authority or an organisation below it who is not from the
organiser or its supervising department, did not inspect the organiser in its last check, and is
under the load limit.
"""

from __future__ import annotations

import heapq
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Role, User
from reviews.models import InspectorAssignment, SpotCheckDraw, SpotCheckSelection
from reviews.spotchecks.algorithm import Keyed
from reviews.spotchecks.selectors import (
    acts_for_authority,
    inspector_pool,
    last_inspectors_by_organiser,
    last_inspectors_of,
)


def recusal_reason(user: User, selection: SpotCheckSelection, last_inspectors: set[int]) -> str:
    plan = selection.plan
    if user.organisation_id == plan.organiser_id:
        return "检查人员来自被检查的培训组织单位"
    if user.organisation_id == plan.authority_id:
        return "检查人员来自该培训的审核部门"
    if user.pk in last_inspectors:
        return "检查人员参加过该单位上一次检查"
    return ""


def _order_key(key: Keyed, filing_no: str, user_id: int) -> bytes:
    """HMAC-SHA256(seed, "inspector|filing_no|user id")."""
    return key.digest(f"inspector|{filing_no}|{user_id}".encode())


def _pick(selection, pool, load, *, key: Keyed, limit, count, last: set[int]) -> list[User]:
    """The first `count` eligible inspectors by _order_key. `pool` is a list of (user, pk, organisation id);
    the eligibility test is recusal_reason's, on plain ids, and only the eligible get a key."""
    plan = selection.plan
    recused = {plan.organiser_id, plan.authority_id}
    eligible = [(user, pk) for user, pk, organisation_id in pool
                if organisation_id not in recused and pk not in last and load[pk] < limit]
    if len(eligible) < count:
        raise ValidationError(
            f"培训 {plan.filing_no} 可指派的检查人员不足 {count} 名（已按回避规则和工作量上限排除）。"
            "请增加检查人员或提高每人工作量上限后再抽取。")
    keys = key.digests(f"inspector|{plan.filing_no}|", [str(pk) for _user, pk in eligible])
    # == sorted(eligible, key=_order_key)[:count]: the keys are distinct, and the position breaks any tie as a
    # stable sort would.
    return [eligible[at][0] for _key, at in heapq.nsmallest(count, zip(keys, range(len(eligible)), strict=True))]


def inspectors_assign(*, draw: SpotCheckDraw, selections: list[SpotCheckSelection]) -> list[InspectorAssignment]:
    campaign = draw.campaign
    pool = [(user, user.pk, user.organisation_id) for user in inspector_pool(campaign.authority)]
    selections = list(SpotCheckSelection.objects.filter(pk__in=[s.pk for s in selections])
                      .select_related("plan").order_by("rank"))
    last = last_inspectors_by_organiser({s.plan.organiser_id for s in selections}, campaign=campaign)
    key = Keyed(draw.seed.encode())
    load: Counter = Counter()
    rows = []
    for selection in selections:
        for user in _pick(selection, pool, load, key=key, limit=campaign.inspector_load_limit,
                          count=campaign.inspectors_per_training, last=last.get(selection.plan.organiser_id, set())):
            load[user.pk] += 1
            rows.append(InspectorAssignment(selection=selection, inspector=user))
    return InspectorAssignment.objects.bulk_create(rows)


def _load_of(user: User, draw: SpotCheckDraw) -> int:
    return (InspectorAssignment.objects.filter(selection__draw=draw, inspector=user, ended_at__isnull=True)
            .aggregate(n=Count("pk"))["n"])


def _check_replacement(new: User, selection: SpotCheckSelection) -> None:
    campaign = selection.draw.campaign
    if new.role != Role.INSPECTOR or not new.is_active or new not in inspector_pool(campaign.authority):
        raise ValidationError({"inspector": "所选人员不是本部门或下级部门的巡查抽查人员。"})
    reason = recusal_reason(new, selection, last_inspectors_of(selection.plan.organiser_id, campaign=campaign))
    if reason:
        raise ValidationError({"inspector": f"所选人员须回避：{reason}。"})
    if selection.assignments.filter(ended_at__isnull=True, inspector=new).exists():
        raise ValidationError({"inspector": "所选人员已在本培训的检查组中。"})
    if _load_of(new, selection.draw) >= campaign.inspector_load_limit:
        raise ValidationError({"inspector": "所选人员的检查任务已达上限。"})


@transaction.atomic
def assignment_reassign(*, assignment: InspectorAssignment, actor: User, new_inspector: User,
                        reason: str) -> InspectorAssignment:
    """Replace one inspector, recording who did it and why; the old row is kept, marked ended."""
    assignment = InspectorAssignment.objects.select_for_update(of=("self",)).select_related(
        "selection__plan", "selection__draw__campaign").get(pk=assignment.pk)
    selection = assignment.selection
    if not acts_for_authority(actor, selection.draw.campaign):
        raise PermissionDenied("只有组织抽查部门的人员可以调整检查人员。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写调整检查人员的理由。"})
    if assignment.ended_at:
        raise ValidationError("该检查人员已被撤换。")
    _check_replacement(new_inspector, selection)
    assignment.ended_at, assignment.ended_by, assignment.end_reason = timezone.now(), actor, reason.strip()[:200]
    assignment.save(update_fields=["ended_at", "ended_by", "end_reason"])
    return InspectorAssignment.objects.create(selection=selection, inspector=new_inspector, assigned_by=actor,
                                              reason=reason.strip()[:200])

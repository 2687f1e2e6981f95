"""Writes for inspections: the checklist and outcome, evidence, confirmation, and the results."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import User
from reviews.flows import ViolationConfirmFlow
from reviews.models import (
    CampaignState,
    Inspection,
    InspectionEvidence,
    OrganiserViolation,
    Outcome,
    SpotCheckCampaign,
    SpotCheckSelection,
)
from reviews.spotchecks import notify, selectors
from reviews.spotchecks.reversals import violation_reverse_hours
from rules.selectors import authority_settings
from sheets.documents import validate_document
from workflows.services import task_complete, task_open

_COMMON = [("teachers", "授课师资与备案一致"), ("content", "培训内容与备案一致")]
CHECKLISTS = {
    "face_to_face": [("time_place", "培训时间、地点与备案一致"), ("headcount", "实到人数与签到表、花名册一致"),
                     ("photos", "面授图片真实，且与花名册顺序一致"), *_COMMON],
    "online": [("time_place", "培训时间、平台与备案一致"), ("headcount", "学习人数与学习记录、花名册一致"),
               ("photos", "网络培训截图真实，且与花名册顺序一致"), *_COMMON],
    "mixed": [("time_place", "培训时间、地点和平台与备案一致"), ("headcount", "参训人数与签到表、学习记录、花名册一致"),
              ("photos", "面授图片和网络截图真实，且与花名册顺序一致"), *_COMMON],
}
RESULTS = {"ok": "符合", "problem": "不符合", "na": "不适用"}


def checklist_for(mode: str) -> list[tuple[str, str]]:
    return CHECKLISTS[mode]


def _require_assigned(selection: SpotCheckSelection, actor: User) -> None:
    if not selectors.is_assigned(selection, actor):
        raise PermissionDenied("只有指派到本培训检查组的人员可以录入检查情况。")


def _clean_checklist(mode: str, checklist: dict) -> dict:
    cleaned = {}
    for code, label in checklist_for(mode):
        item = checklist.get(code) or {}
        if item.get("result") not in RESULTS:
            raise ValidationError({"checklist": f"请填写检查要点“{label}”的检查结果。"})
        cleaned[code] = {"result": item["result"], "note": str(item.get("note", ""))[:500]}
    return cleaned


def _check_outcome(outcome: str, checklist: dict) -> None:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择检查结论。"})
    if outcome == Outcome.COMPLIANT and any(i["result"] == "problem" for i in checklist.values()):
        raise ValidationError({"outcome": "检查要点中有“不符合”项，结论不能为合规。"})


@transaction.atomic
def inspection_record(*, selection: SpotCheckSelection, actor: User, checklist: dict, findings: str,
                      outcome: str, violation_kind: str = "", rectify_deadline: dt.date | None = None,
                      affected_ids: list[int] | None = None) -> Inspection:
    """Record the checklist, findings and outcome. For a violation, the affected trainees (all by default)."""
    selection = SpotCheckSelection.objects.select_for_update(of=("self",)).select_related("plan").get(pk=selection.pk)
    _require_assigned(selection, actor)
    if hasattr(selection, "inspection"):
        raise ValidationError("本培训的检查情况已录入。")
    cleaned = _clean_checklist(selection.plan.mode, checklist)
    _check_outcome(outcome, cleaned)
    inspection = Inspection(selection=selection, checklist=cleaned, findings=findings.strip(), outcome=outcome,
                            violation_kind=violation_kind if outcome == Outcome.VIOLATION else "",
                            rectify_deadline=rectify_deadline if outcome == Outcome.RECTIFY else None,
                            recorded_by=actor)
    inspection.full_clean(exclude=["selection"])
    inspection.save()
    if outcome == Outcome.VIOLATION:
        roster = selection.plan.roster.all()
        inspection.affected.set(roster if affected_ids is None else roster.filter(pk__in=affected_ids))
    # Every conclusion needs a second person's confirmation before the results are approved: it waits in
    # the authority's inbox, whatever the outcome.
    task_open(flow=ViolationConfirmFlow, artifact=inspection)
    return inspection


@transaction.atomic
def evidence_upload(*, selection: SpotCheckSelection, actor: User, file, checklist_item: str = "") -> InspectionEvidence:
    """A photo, screenshot or scanned sheet (PDF, JPG, PNG, DOCX, XLSX up to 20 MB) while the check is open."""
    _require_assigned(selection, actor)
    if SpotCheckCampaign.objects.filter(pk=selection.draw.campaign_id, state=CampaignState.PUBLISHED).exists():
        raise ValidationError("该抽查结果已审定公开，不能再上传证据。")
    if checklist_item and checklist_item not in dict(checklist_for(selection.plan.mode)):
        raise ValidationError({"checklist_item": "未知的检查要点。"})
    ext, _content_type = validate_document(file, what="证据文件")
    evidence = InspectionEvidence(selection=selection, checklist_item=checklist_item,
                                  original_name=file.name[:200], uploaded_by=actor)
    evidence.file.save(f"{uuid.uuid4().hex}.{ext}", file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def inspection_confirm(*, inspection: Inspection, actor: User, now: dt.datetime | None = None) -> Inspection:
    """A second person of the authority confirms. A violation then: 1. reverses the affected trainees'
    hours; 2. marks the organiser; 3. notifies, on commit."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related(
        "selection__plan", "selection__draw__campaign").get(pk=inspection.pk)
    if not selectors.acts_for_authority(actor, inspection.selection.draw.campaign):
        raise PermissionDenied("只有组织抽查部门的人员可以确认检查结论。")
    if actor.organisation_id == inspection.selection.plan.organiser_id:
        raise PermissionDenied("不能确认本单位所办培训的检查结论。")
    if actor.pk == inspection.recorded_by_id:
        raise PermissionDenied("检查结论须由录入人以外的另一名人员确认。")
    if inspection.confirmed_at:
        raise ValidationError("该检查结论已确认。")
    inspection.confirmed_by, inspection.confirmed_at = actor, now or timezone.now()
    inspection.save(update_fields=["confirmed_by", "confirmed_at"])
    task_complete(artifact=inspection, actor=actor, flow=ViolationConfirmFlow)  # a colleague's claim refuses
    if inspection.outcome == Outcome.VIOLATION:
        # Reversal is the authority's own setting, not a notice's rule (issue 15 item 12).
        if authority_settings(inspection.selection.draw.campaign.authority).reverse_hours_after_violation:
            violation_reverse_hours(inspection=inspection, actor=actor)
        OrganiserViolation.objects.create(organiser_id=inspection.selection.plan.organiser_id, inspection=inspection,
                                          kind=inspection.violation_kind, confirmed_at=inspection.confirmed_at)
        notify.notify_violation_confirmed(inspection.pk)  # recorded with the decision, delivered after commit
    return inspection


@transaction.atomic
def campaign_approve_results(*, campaign: SpotCheckCampaign, actor: User,
                             now: dt.datetime | None = None) -> SpotCheckCampaign:
    """审定结果: every selected training inspected and confirmed; then the public page opens."""
    campaign = SpotCheckCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not selectors.acts_for_authority(actor, campaign):
        raise PermissionDenied("只有组织抽查部门的人员可以审定抽查结果。")
    selections = selectors.current_selections(campaign)
    if not can_proceed(campaign.publish):
        raise ValidationError(f"该抽查批次当前状态为“{campaign.get_state_display()}”，结果已审定或尚未抽取，不能再审定。")
    if not selections.exists() or selections.filter(inspection__confirmed_at__isnull=True).exists():
        raise ValidationError("还有抽中的培训未录入检查结论或结论未经确认，不能审定结果。")
    campaign.publish()
    campaign.results_approved_by, campaign.results_approved_at = actor, now or timezone.now()
    campaign.save(update_fields=["state", "results_approved_by", "results_approved_at"])
    return campaign

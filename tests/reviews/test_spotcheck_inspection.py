"""Inspections, confirmed violations (ledger reversals, organiser mark), results and the public page."""
# ruff: noqa: F811  (the draw fixtures are imported from test_spotcheck_draw and used as arguments)

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from filings.models import RosterEntry
from filings.risk_facts import plan_risk_facts_refresh
from ledger.models import HourEntry, Person
from reviews.models import OrganiserViolation
from reviews.spotchecks import draws, inspections, notify, selectors
from tests.reviews.test_spotcheck_draw import SEED, campaign, campaign_data, drawn, pool, trainings  # noqa: F401

pytestmark = pytest.mark.django_db
ID_NUMBER = "150404199001011234"
OK = {"result": "ok", "note": ""}


def checklist(mode="face_to_face", **problems):
    return {code: problems.get(code, OK) for code, _ in inspections.checklist_for(mode)}


def roster_with_credits(plan, chifeng_bureau, count=3, first=0):
    rows = []
    for n in range(first, first + count):
        entry = RosterEntry.objects.create(plan=plan, seq=n + 1, name=f"学员{n}", sex="M", id_number=f"{ID_NUMBER[:-1]}{n}",
                                           employer="赤峰市医院", specialty="临床", title="主治医师",
                                           subject="professional", hours=24, phone="13800000000")
        person = Person.objects.create(id_number=entry.id_number, name=entry.name, sex="M", birth_date=dt.date(1990, 1, 1))
        credit = HourEntry.objects.create(person=person, year=2026, subject="professional", hours=24, plan=plan,
                                          roster_entry=entry, authority=chifeng_bureau)
        rows.append((entry, credit))
    plan_risk_facts_refresh(plan_ids=[plan.pk])  # rows made here, not by the roster import that keeps the facts
    return rows


def team(selection):
    return [a.inspector for a in selectors.active_assignments(selection)]


def confirmer(selection, pool):
    """A second person of the authority (the region bureau), not the one who recorded."""
    return next(u for u in pool[:4] if u != team(selection)[0])


def record(selection, **kwargs):
    data = {"checklist": checklist(selection.plan.mode), "findings": "签到表与花名册一致", "outcome": "compliant"}
    data.update(kwargs)
    return inspections.inspection_record(selection=selection, actor=team(selection)[0], **data)


def test_only_an_assigned_inspector_records(drawn, pool):
    selection = drawn.selections.first()
    outsider = next(u for u in pool[:6] if u not in team(selection))
    with pytest.raises(PermissionDenied):
        inspections.inspection_record(selection=selection, actor=outsider, checklist=checklist(), findings="",
                                      outcome="compliant")


def test_a_compliant_outcome_cannot_hide_a_failed_checklist_item(drawn):
    with pytest.raises(ValidationError):
        record(drawn.selections.first(), checklist=checklist(headcount={"result": "problem", "note": "少 12 人"}))


def test_rectification_needs_a_deadline(drawn):
    with pytest.raises(ValidationError):
        record(drawn.selections.first(), outcome="rectify")


def test_a_confirmed_violation_reverses_exactly_the_affected_rows(drawn, chifeng_bureau, trainings, pool,
                                                                  django_capture_on_commit_callbacks, monkeypatch):
    selection = drawn.selections.first()
    rows = roster_with_credits(selection.plan, chifeng_bureau)
    other_plan = next(p for p in trainings if p != selection.plan)
    untouched = roster_with_credits(other_plan, chifeng_bureau, count=1, first=5)
    calls = []
    monkeypatch.setattr(notify, "notify_violation_confirmed", calls.append)
    inspection = record(selection, outcome="violation", violation_kind="fraud", findings="冒名签到",
                        checklist=checklist(headcount={"result": "problem", "note": "冒名签到"}),
                        affected_ids=[rows[0][0].pk, rows[2][0].pk])
    assert not HourEntry.objects.filter(kind="reversal").exists()
    with pytest.raises(PermissionDenied):
        inspections.inspection_confirm(inspection=inspection, actor=team(selection)[0])
    with django_capture_on_commit_callbacks(execute=True):
        inspections.inspection_confirm(inspection=inspection, actor=confirmer(selection, pool))
    reversals = HourEntry.objects.filter(kind="reversal").order_by("reverses_id")
    assert [r.reverses_id for r in reversals] == [rows[0][1].pk, rows[2][1].pk]
    assert all(r.hours == -24 and "冒名签到" in r.reason for r in reversals)
    assert not HourEntry.objects.filter(reverses=untouched[0][1]).exists()
    assert OrganiserViolation.objects.get().organiser == selection.plan.organiser
    assert calls == [inspection.pk]


def test_a_confirmed_violation_raises_the_organisers_risk_later(drawn, inspector, pool):
    selection = drawn.selections.first()
    before = {i["id"]: i["risk"] for i in drawn.population}[selection.plan.filing_no]
    inspection = record(selection, outcome="violation", violation_kind="irregular", findings="未按备案地点办班",
                        checklist=checklist(time_place={"result": "problem", "note": "地点不符"}))
    inspections.inspection_confirm(inspection=inspection, actor=confirmer(selection, pool))
    campaign, _ = draws.campaign_create(actor=inspector, data=campaign_data(name="复查"), seed="s3")
    later = draws.campaign_draw(campaign=campaign, actor=inspector, seed="s3")
    assert {i["id"]: i["risk"] for i in later.population}[selection.plan.filing_no] == before + 3


def _finish(draw, pool):
    for selection in draw.selections.all():
        inspections.inspection_confirm(inspection=record(selection), actor=confirmer(selection, pool))


def test_an_organiser_found_clean_is_left_out_within_the_cooldown_unless_its_risk_rose(
        drawn, inspector, pool, owner_org, trainings, chifeng_bureau):
    for selection in drawn.selections.filter(plan__organiser=owner_org):
        inspections.inspection_confirm(inspection=record(selection), actor=confirmer(selection, pool))
    songshan = sorted(p.filing_no for p in trainings if p.organiser == owner_org)
    risky = next(p for p in trainings if p.filing_no == songshan[0])
    entry, _ = roster_with_credits(risky, chifeng_bureau, count=1)[0]
    RosterEntry.objects.filter(pk=entry.pk).update(anomaly="学时超过培训天数可容纳的学时")
    plan_risk_facts_refresh(plan_ids=[risky.pk])
    data = campaign_data(name="第二批", strata_quota={}, strata_by="none", sample_size=1)
    campaign, _ = draws.campaign_create(actor=inspector, data=data, seed="s4")
    later = draws.campaign_draw(campaign=campaign, actor=inspector, seed="s4")
    assert later.excluded == songshan[1:]
    assert songshan[0] in {i["id"] for i in later.population}


def test_results_need_every_inspection_confirmed(drawn, pool):
    with pytest.raises(ValidationError):
        inspections.campaign_approve_results(campaign=drawn.campaign, actor=pool[0])
    _finish(drawn, pool)
    campaign = inspections.campaign_approve_results(campaign=drawn.campaign, actor=pool[0])
    assert campaign.state == "published" and campaign.results_approved_by == pool[0]


def test_the_public_page_needs_approved_results_and_hides_personal_data(client, drawn, pool, chifeng_bureau):
    url = reverse("spotchecks:public_detail", args=[drawn.campaign_id])
    assert client.get(url).status_code == 404
    selection = drawn.selections.first()
    roster_with_credits(selection.plan, chifeng_bureau, count=1)
    _finish(drawn, pool)
    inspections.campaign_approve_results(campaign=drawn.campaign, actor=pool[0])
    page = client.get(url).content.decode()
    assert SEED in page and drawn.population_hash in page and selection.plan.filing_no in page
    assert ID_NUMBER[:-1] not in page and "学员0" not in page and selection.plan.contact_phone not in page
    assert all(str(u) not in page for u in team(selection))
    snapshot = client.get(reverse("spotchecks:public_snapshot", args=[drawn.campaign_id, 1])).json()
    assert snapshot["population_hash"] == drawn.population_hash and ID_NUMBER[:-1] not in str(snapshot)


def test_the_campaign_pages_are_for_the_authority_only(client, drawn, inspector, owner, reviewer_other_league):
    url = reverse("spotchecks:campaign_detail", args=[drawn.campaign_id])
    assert client.get(reverse("spotchecks:campaign_list")).status_code == 302
    client.force_login(owner)
    assert client.get(reverse("spotchecks:campaign_list")).status_code == 403
    client.force_login(reviewer_other_league)
    assert client.get(url).status_code == 404
    client.force_login(inspector)
    assert client.get(reverse("spotchecks:campaign_list")).status_code == 200
    assert drawn.population_hash in client.get(url).content.decode()


def test_an_authority_that_does_not_reverse_after_violations_keeps_the_hours(drawn, chifeng_bureau, pool):
    """No notice orders hours reversed after a violation (issue 15 item 12): it is the authority's setting."""
    from rules.models import AuthoritySettings

    AuthoritySettings.objects.create(authority=drawn.campaign.authority, reverse_hours_after_violation=False)
    selection = drawn.selections.first()
    rows = roster_with_credits(selection.plan, chifeng_bureau)
    inspection = record(selection, outcome="violation", violation_kind="fraud", findings="冒名签到",
                        checklist=checklist(headcount={"result": "problem", "note": "冒名签到"}),
                        affected_ids=[rows[0][0].pk])
    inspections.inspection_confirm(inspection=inspection, actor=confirmer(selection, pool))
    assert not HourEntry.objects.filter(kind="reversal").exists()
    assert OrganiserViolation.objects.get().organiser == selection.plan.organiser


# --- finding 9: approving twice, loose evidence, inspectors from below ----------------------

def test_approving_published_results_again_is_refused_not_a_server_error(client, drawn, pool):
    _finish(drawn, pool)
    inspections.campaign_approve_results(campaign=drawn.campaign, actor=pool[0])
    with pytest.raises(ValidationError, match="不能再审定"):
        inspections.campaign_approve_results(campaign=drawn.campaign, actor=pool[0])
    client.force_login(pool[0])
    response = client.post(reverse("spotchecks:results_approve", args=[drawn.campaign_id]), follow=True)
    assert response.status_code == 200 and "不能再审定" in response.content.decode()


JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64


@pytest.mark.parametrize("name,content,expected", [
    ("tool.exe", b"MZ\x90\x00" + b"0" * 64, "格式不支持"),
    ("photo.jpg", b"MZ\x90\x00" + b"0" * 64, "不符"),
    ("photo.jpg", JPEG + b"0" * (20 * 1024 * 1024), "过大"),
])
def test_evidence_of_a_wrong_type_or_size_is_refused(settings, tmp_path, drawn, name, content, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.models import InspectionEvidence

    settings.MEDIA_ROOT = tmp_path
    selection = drawn.selections.first()
    with pytest.raises(ValidationError, match=expected):
        inspections.evidence_upload(selection=selection, actor=team(selection)[0],
                                    file=SimpleUploadedFile(name, content))
    assert not InspectionEvidence.objects.exists()


def test_evidence_is_stored_under_a_random_name_and_refused_after_publication(settings, tmp_path, drawn, pool):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    selection = drawn.selections.first()
    inspector = team(selection)[0]
    evidence = inspections.evidence_upload(selection=selection, actor=inspector,
                                           file=SimpleUploadedFile("签到表.jpg", JPEG))
    assert evidence.original_name == "签到表.jpg" and evidence.file.name.endswith(".jpg")
    assert "签到表" not in evidence.file.name
    _finish(drawn, pool)
    inspections.campaign_approve_results(campaign=drawn.campaign, actor=pool[0])
    with pytest.raises(ValidationError, match="已审定公开"):
        inspections.evidence_upload(selection=selection, actor=inspector, file=SimpleUploadedFile("补.jpg", JPEG))


def _assigned_from_below(drawn, pool, region_bureau):
    """A selection whose team includes an inspector of a bureau below the region (drawn or reassigned)."""
    from reviews.spotchecks import inspectors as assigning

    below = [u for u in pool if u.organisation_id != region_bureau.pk and u.organisation.kind != "organiser"]
    for selection in drawn.selections.all():
        for assignment in selectors.active_assignments(selection):
            if assignment.inspector in below:
                return selection, assignment.inspector
    for selection in drawn.selections.all():
        for local in below:
            try:
                assigning.assignment_reassign(assignment=selectors.active_assignments(selection)[0], actor=pool[0],
                                              new_inspector=local, reason="就近检查")
            except ValidationError:
                continue
            return selection, local
    raise AssertionError("no inspector from below could be assigned")


def test_an_inspector_drawn_from_a_county_below_opens_the_assignment(client, drawn, pool, region_bureau):
    selection, local = _assigned_from_below(drawn, pool, region_bureau)
    assert local.organisation_id != drawn.campaign.authority_id
    client.force_login(local)
    response = client.get(reverse("spotchecks:selection_detail", args=[selection.pk]))
    assert response.status_code == 200 and selection.plan.filing_no in response.content.decode()
    other = drawn.selections.exclude(assignments__inspector=local).first()
    if other is not None:
        assert client.get(reverse("spotchecks:selection_detail", args=[other.pk])).status_code == 404


def test_every_conclusion_waits_for_confirmation_in_the_campaign_authoritys_inbox(drawn, pool, region_reviewer,
                                                                                  reviewer, chifeng_bureau):
    from workflows.selectors import authority_tasks_for

    first, second = list(drawn.selections.all()[:2])
    compliant = record(first)  # a compliant conclusion needs a second person too (results wait for it)
    task = authority_tasks_for(region_reviewer).get()
    assert task.process.data["title"].endswith("（合规结论待确认）")
    roster_with_credits(second.plan, chifeng_bureau)
    inspection = record(second, outcome="violation", violation_kind="fraud", findings="冒名签到",
                        checklist=checklist(second.plan.mode, headcount={"result": "problem", "note": "冒名签到"}))
    titles = sorted(t.process.data["title"][-9:] for t in authority_tasks_for(region_reviewer))
    assert titles == sorted(["（合规结论待确认）", "（抽查违规待确认）"]) and not authority_tasks_for(reviewer).exists()
    inspections.inspection_confirm(inspection=inspection, actor=confirmer(second, pool))
    inspections.inspection_confirm(inspection=compliant, actor=confirmer(first, pool))
    assert not authority_tasks_for(region_reviewer).exists()

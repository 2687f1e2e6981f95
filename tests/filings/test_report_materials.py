"""Report materials: deleted or replaced by the organiser until the report is submitted, logged on the
plan's history, all-or-nothing; listed in the order of the rule set's checklist."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from filings import reports
from filings.models import Attachment, AttachmentKind
from tests.ledger.support import PNG, add_roster, pdf, plan_awaiting_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(owner, reviewer):
    return plan_awaiting_report(owner, reviewer)


@pytest.fixture
def material(plan, owner):
    kind = reports.required_attachments(plan)[0]
    return reports.report_attachment_add(plan=plan, actor=owner, kind=kind, uploaded_file=pdf("旧通知.pdf"))


def test_it_deletes_a_material_logs_it_and_removes_the_file_after_commit(
        plan, owner, material, media, django_capture_on_commit_callbacks):
    path = media / material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_attachment_delete(attachment=material, actor=owner)
    assert not Attachment.objects.filter(pk=material.pk).exists()
    assert not path.exists()
    log = plan.transitions.order_by("pk").last()
    assert log.actor == owner and log.from_state == log.to_state == plan.state
    assert log.reason == f"删除报告材料：{material.get_kind_display()}（旧通知.pdf）"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TRANSITION, actor=owner, target=plan.filing_no,
                                     detail__reason=log.reason).exists()


def test_it_replaces_a_material_with_a_file_of_the_same_kind(
        plan, owner, material, media, django_capture_on_commit_callbacks):
    old_path = media / material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        new = reports.report_attachment_replace(attachment=material, actor=owner, uploaded_file=pdf("新通知.pdf"))
    assert list(plan.attachments.values_list("pk", "kind", "original_name")) == [
        (new.pk, material.kind, "新通知.pdf")]
    assert (media / new.file.name).exists() and not old_path.exists()
    assert plan.transitions.order_by("pk").last().reason.endswith("（旧通知.pdf） → 新通知.pdf")


def test_a_refused_replacement_keeps_the_old_material(plan, owner, material, media):
    with pytest.raises(ValidationError, match="不符"):
        reports.report_attachment_replace(attachment=material, actor=owner, uploaded_file=pdf("伪装.pdf", PNG))
    assert list(plan.attachments.values_list("pk", flat=True)) == [material.pk]
    assert (media / material.file.name).exists()
    assert not plan.transitions.filter(reason__contains="报告材料").exists()


def test_only_the_organiser_deletes_or_replaces(plan, material, reviewer, outsider):
    for user in (reviewer, outsider):
        with pytest.raises(PermissionDenied):
            reports.report_attachment_delete(attachment=material, actor=user)
        with pytest.raises(PermissionDenied):
            reports.report_attachment_replace(attachment=material, actor=user, uploaded_file=pdf())
    assert Attachment.objects.filter(pk=material.pk).exists()


def test_materials_are_fixed_once_the_report_is_submitted(plan, owner, material):
    add_roster(plan)
    for kind in reports.required_attachments(plan)[1:]:
        reports.report_attachment_add(plan=plan, actor=owner, kind=kind, uploaded_file=pdf(f"{kind}.pdf"))
    reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="已提交或已审核"):
        reports.report_attachment_delete(attachment=material, actor=owner)
    with pytest.raises(ValidationError, match="已提交或已审核"):
        reports.report_attachment_replace(attachment=material, actor=owner, uploaded_file=pdf())
    assert Attachment.objects.filter(pk=material.pk).exists()


def test_a_material_deleted_meanwhile_is_reported_not_deleted_twice(plan, owner, material):
    stale = Attachment.objects.get(pk=material.pk)
    reports.report_attachment_delete(attachment=material, actor=owner)
    with pytest.raises(ValidationError, match="已被删除"):
        reports.report_attachment_delete(attachment=stale, actor=owner)
    assert plan.transitions.filter(reason__startswith="删除报告材料").count() == 1


@pytest.mark.parametrize("who,status", [("owner", 302), ("reviewer", 403), ("outsider", 404)])
def test_who_deletes_through_the_page(client, request, plan, material, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("reports:attachment_delete", args=[material.pk]))
    assert response.status_code == status
    assert Attachment.objects.filter(pk=material.pk).exists() == (who != "owner")


def test_the_owner_replaces_through_the_page(client, plan, owner, material):
    client.force_login(owner)
    response = client.post(reverse("reports:attachment_replace", args=[material.pk]), {"replacement": pdf("新.pdf")},
                           follow=True)
    assert "已更换为“新.pdf”" in response.content.decode()
    assert list(plan.attachments.values_list("original_name", flat=True)) == ["新.pdf"]


def test_uploaded_materials_are_listed_in_the_checklists_order(client, plan, owner):
    required = reports.required_attachments(plan)
    assert len(required) >= 2
    for kind in reversed(required):
        reports.report_attachment_add(plan=plan, actor=owner, kind=kind, uploaded_file=pdf(f"{kind}.pdf"))
    client.force_login(owner)
    body = client.get(reverse("reports:report_detail", args=[plan.pk])).content.decode()
    listed = body[body.index("已上传材料"):]
    positions = [listed.index(f"{kind}.pdf") for kind in required]
    assert positions == sorted(positions), [AttachmentKind(k).label for k in required]

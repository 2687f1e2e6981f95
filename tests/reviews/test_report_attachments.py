import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings import reports, services
from filings.models import Attachment
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.support import PDF, PNG, add_roster, pdf, plan_awaiting_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(owner, reviewer):
    return plan_awaiting_report(owner, reviewer)


def office(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<xml/>")
    return buffer.getvalue()


def add(plan, owner, name, content):
    return reports.report_attachment_add(plan=plan, actor=owner, kind="notice",
                                         uploaded_file=SimpleUploadedFile(name, content))


@pytest.mark.parametrize("name,content", [
    ("通知.pdf", PDF), ("照片.PNG", PNG), ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
    ("总结.docx", office("word/document.xml")), ("评估表.xlsx", office("xl/workbook.xml")),
])
def test_it_stores_an_allowed_file_under_a_random_name(plan, owner, media, name, content):
    attachment = add(plan, owner, name, content)
    assert attachment.original_name == name and attachment.size == len(content)
    assert name not in attachment.file.name and attachment.file.name.startswith("attachments/")
    assert (media / attachment.file.name).read_bytes() == content


@pytest.mark.parametrize("name,content,message", [
    ("程序.exe", b"MZ\x90\x00", "格式不支持"),
    ("无扩展名", PDF, "格式不支持"),
    ("伪装.pdf", PNG, "不符"),
    ("伪装.png", PDF, "不符"),
    ("伪装.docx", office("xl/workbook.xml"), "不符"),
    ("坏的.xlsx", b"PK\x03\x04 not a zip", "不符"),
])
def test_it_refuses_a_file_whose_type_is_not_allowed_or_not_genuine(plan, owner, name, content, message):
    with pytest.raises(ValidationError, match=message):
        add(plan, owner, name, content)
    assert not Attachment.objects.exists()


def test_it_refuses_a_file_over_20_mb(plan, owner):
    too_big = PDF + b"0" * (reports.MAX_ATTACHMENT_BYTES + 1 - len(PDF))
    with pytest.raises(ValidationError, match="20 MB"):
        add(plan, owner, "大文件.pdf", too_big)
    exactly = PDF + b"0" * (reports.MAX_ATTACHMENT_BYTES - len(PDF))
    assert add(plan, owner, "刚好.pdf", exactly).size == reports.MAX_ATTACHMENT_BYTES


def test_only_the_owner_uploads(plan, reviewer, outsider):
    for user in (reviewer, outsider):
        with pytest.raises(PermissionDenied):
            reports.report_attachment_add(plan=plan, actor=user, kind="notice", uploaded_file=pdf())


def test_it_refuses_uploads_before_training(owner, chifeng_bureau):
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    with pytest.raises(ValidationError, match="不能上传"):
        reports.report_attachment_add(plan=plan, actor=owner, kind="notice", uploaded_file=pdf())


@pytest.mark.parametrize("who,status", [
    ("owner", 200), ("reviewer", 200), ("region_reviewer", 200),
    ("outsider", 404), ("reviewer_other_league", 404), ("professional", 404),
])
def test_who_downloads_an_attachment(client, request, plan, owner, who, status):
    attachment = add(plan, owner, "培训通知.pdf", PDF)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("reports:attachment_download", args=[attachment.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who,status", [("owner", 200), ("reviewer", 200), ("outsider", 404)])
def test_who_sees_the_report_page(client, request, plan, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reports:report_detail", args=[plan.pk])).status_code == status


def test_the_owner_uploads_and_submits_through_the_page(client, plan, owner):
    add_roster(plan)
    client.force_login(owner)
    for kind in reports.required_attachments(plan):
        client.post(reverse("reports:attachment_upload", args=[plan.pk]), {"kind": kind, "file": pdf(f"{kind}.pdf")})
    assert plan.attachments.count() == len(reports.required_attachments(plan))
    client.post(reverse("reports:report_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == "reported"


def test_an_outsider_cannot_upload_through_the_page(client, plan, outsider):
    client.force_login(outsider)
    response = client.post(reverse("reports:attachment_upload", args=[plan.pk]), {"kind": "notice", "file": pdf()})
    assert response.status_code == 404
    assert not plan.attachments.exists()


def test_the_plan_page_links_to_the_report(client, plan, owner):
    client.force_login(owner)
    body = client.get(reverse("filings:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("reports:report_detail", args=[plan.pk]) in body


@pytest.mark.parametrize("report_days,words", [(14, "培训结束后两周内"), (10, "培训结束后10天内")])
def test_the_report_page_words_the_period_from_the_rule_set(client, plan, owner, report_days, words):
    from rules.models import RuleSet

    region = RuleSet.objects.get(issuer__parent__isnull=True, effective_to__isnull=True)
    region.params["report_days"] = report_days
    region.save(update_fields=["params"])
    client.force_login(owner)
    assert words in client.get(reverse("reports:report_detail", args=[plan.pk])).content.decode()

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from filings.models import RosterUpload
from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import person, roster_upload_file, to_awaiting_report

pytestmark = pytest.mark.django_db
media = support.media
report_plan = support.report_plan


def upload(client, plan, rows, capture):
    with capture(execute=True) as callbacks:
        response = client.post(reverse("roster:upload", args=[plan.pk]), {"file": roster_upload_file(plan, rows)})
    assert len(callbacks) == 1
    return response


def test_the_owner_uploads_and_the_task_imports(client, owner, report_plan, media,
                                                django_capture_on_commit_callbacks):
    client.force_login(owner)
    response = upload(client, report_plan, [person(1), person(2)], django_capture_on_commit_callbacks)
    record = RosterUpload.objects.get()
    assert response.status_code == 302 and response.url == reverse("roster:upload_status", args=[record.pk])
    assert (record.status, record.total_rows, record.progress) == ("imported", 2, 2)
    assert record.file.name.startswith("rosters/") and (media / record.file.name).exists()
    page = client.get(response.url).content.decode()
    assert "已导入" in page and 'http-equiv="refresh"' not in page
    assert report_plan.roster.count() == 2


def test_a_pending_upload_refreshes_itself(client, owner, report_plan, media):
    client.force_login(owner)
    client.post(reverse("roster:upload", args=[report_plan.pk]), {"file": roster_upload_file(report_plan, [person(1)])})
    record = RosterUpload.objects.get()
    assert record.status == "pending"  # on_commit never fired inside the test transaction
    page = client.get(reverse("roster:upload_status", args=[record.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "排队中" in page


def test_a_failed_upload_lists_errors_and_offers_a_marked_up_copy(client, owner, report_plan, media,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(owner)
    upload(client, report_plan, [person(1), person(2, hours=30)], django_capture_on_commit_callbacks)
    record = RosterUpload.objects.get()
    assert record.status == "failed"
    assert record.errors == [{"row": 6, "column": "学时", "message": "学时 30 超过了计划每人学时 24。"}]
    page = client.get(reverse("roster:upload_status", args=[record.pk])).content.decode()
    assert "第6行" in page and "学时 30 超过了计划每人学时 24" in page
    marked = client.get(reverse("roster:upload_marked", args=[record.pk]))
    ws = load_workbook(io.BytesIO(marked.content)).active
    assert ws["M3"].value == "错误说明"
    assert ws["I6"].fill.fgColor.rgb.endswith("FFC7CE") and "超过了计划每人学时" in ws["I6"].comment.text
    assert "学时：学时 30 超过" in ws["M6"].value
    assert ws["I5"].fill.fgColor.rgb != ws["I6"].fill.fgColor.rgb and ws["M5"].value is None


def test_the_owner_confirms_a_roster_above_the_headcount(client, owner, reviewer, make_plan, media,
                                                         django_capture_on_commit_callbacks):
    plan = to_awaiting_report(make_plan(planned_headcount=1), owner, reviewer)
    client.force_login(owner)
    upload(client, plan, [person(1), person(2)], django_capture_on_commit_callbacks)
    record = RosterUpload.objects.get()
    assert record.status == "needs_confirmation" and not plan.roster.exists()
    assert "超过计划人数 1 人" in client.get(reverse("roster:upload_status", args=[record.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("roster:upload_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "imported" and plan.roster.count() == 2


def test_the_reviewer_views_but_cannot_upload_or_confirm(client, owner, reviewer, report_plan, media,
                                                        django_capture_on_commit_callbacks):
    client.force_login(owner)
    upload(client, report_plan, [person(1)], django_capture_on_commit_callbacks)
    record = RosterUpload.objects.get()
    client.force_login(reviewer)
    assert client.get(reverse("roster:upload_status", args=[record.pk])).status_code == 200
    detail = client.get(reverse("roster:roster_detail", args=[report_plan.pk])).content.decode()
    assert "学员1" in detail and "150404********" in detail and "上传花名册" not in detail
    assert client.get(reverse("roster:upload", args=[report_plan.pk])).status_code == 403
    response = client.post(reverse("roster:upload", args=[report_plan.pk]),
                           {"file": roster_upload_file(report_plan, [person(1)])})
    assert response.status_code == 403 and RosterUpload.objects.count() == 1


def test_the_outsider_gets_404_everywhere(client, owner, outsider, report_plan, media,
                                          django_capture_on_commit_callbacks):
    client.force_login(owner)
    upload(client, report_plan, [person(1), person(2, hours=99)], django_capture_on_commit_callbacks)
    record = RosterUpload.objects.get()
    client.force_login(outsider)
    for name, pk in [("roster_detail", report_plan.pk), ("template", report_plan.pk), ("upload", report_plan.pk),
                     ("upload_status", record.pk), ("upload_marked", record.pk)]:
        assert client.get(reverse(f"roster:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("roster:upload_confirm", args=[record.pk])).status_code == 404


def test_the_owner_cannot_upload_before_the_training_ends(client, owner, submitted_plan, media):
    client.force_login(owner)
    response = client.post(reverse("roster:upload", args=[submitted_plan.pk]),
                           {"file": roster_upload_file(submitted_plan, [person(1)])})
    assert response.status_code == 302 and not RosterUpload.objects.exists()


def test_the_upload_form_refuses_a_macro_file_at_once(client, owner, report_plan, media):
    client.force_login(owner)
    response = client.post(reverse("roster:upload", args=[report_plan.pk]),
                           {"file": roster_upload_file(report_plan, [person(1)], name="花名册.xlsm")})
    assert response.status_code == 200 and "不接受含宏的工作簿" in response.content.decode()
    assert not RosterUpload.objects.exists()


def test_the_template_downloads_for_the_owner(client, owner, report_plan):
    client.force_login(owner)
    response = client.get(reverse("roster:template", args=[report_plan.pk]))
    assert response.status_code == 200 and report_plan.filing_no in response["Content-Disposition"] or \
        "filename" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "专业技术人员继续教育培训花名册"


def test_the_plan_page_links_to_the_upload_for_the_owner_only(client, owner, reviewer, report_plan):
    url = reverse("filings:plan_detail", args=[report_plan.pk])
    link = reverse("roster:upload", args=[report_plan.pk])
    client.force_login(owner)
    assert link in client.get(url).content.decode()
    client.force_login(reviewer)
    assert link not in client.get(url).content.decode()


def test_the_plan_page_has_no_upload_link_before_the_training_ends(client, owner, submitted_plan):
    client.force_login(owner)
    page = client.get(reverse("filings:plan_detail", args=[submitted_plan.pk])).content.decode()
    assert reverse("roster:upload", args=[submitted_plan.pk]) not in page

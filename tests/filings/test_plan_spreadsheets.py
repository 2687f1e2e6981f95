import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from filings import services
from filings.models import PlanState, TrainingPlan
from filings.spreadsheets.plan_import import plans_import
from filings.spreadsheets.plan_template import plan_template_workbook
from sheets.cells import put
from tests.filings.conftest import NOW

pytestmark = pytest.mark.django_db

GOOD_ROW = ["新技术培训班", "专业科目", "面授", dt.datetime(2026, 4, 1, 9), dt.datetime(2026, 4, 3, 17),
            "赤峰市红山区", "新技术专题", "卫生系统专业技术人员", 100, 24, 0, "王晓燕", "0476-8466847", None,
            "高文博/教授/内蒙古大学；李敏/副主任医师/赤峰市医院"]


def workbook_upload(rows, name="plans.xlsx") -> SimpleUploadedFile:
    wb = load_workbook(io.BytesIO(plan_template_workbook()))
    ws = wb.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            ws.cell(row=3 + offset, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(**changes):
    headers = ["title", "subject", "mode", "starts_at", "ends_at", "place", "content", "trainee_scope",
               "planned_headcount", "hours", "fee", "contact_person", "contact_phone", "credit_year", "teachers"]
    values = dict(zip(headers, GOOD_ROW, strict=True)) | changes
    return [values[h] for h in headers]


def approve(plan, reviewer):
    return services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=NOW)


def sheet_text(content: bytes) -> str:
    ws = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value is not None)


# --- the upload template --------------------------------------------------------------------------

def test_the_template_has_the_headers_drop_downs_and_date_formats():
    ws = load_workbook(io.BytesIO(plan_template_workbook())).active
    assert [c.value for c in ws[1]][:4] == ["培训名称", "科目类别", "培训方式", "开始时间"]
    assert ws["O1"].value == "师资（姓名/职称/单位，多人用分号分隔）"
    assert ws["A2"].value.startswith("填写说明")
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["B3"] == '"公需科目,专业科目"'
    assert lists["C3"] == '"面授,网络,线上+线下"'
    assert ws["D3"].number_format == ws["E10"].number_format == "yyyy-mm-dd hh:mm"


def test_an_organiser_downloads_the_template_and_a_reviewer_cannot(client, owner, reviewer):
    client.force_login(owner)
    response = client.get(reverse("filings:plan_import_template"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "培训名称"
    client.force_login(reviewer)
    assert client.get(reverse("filings:plan_import_template")).status_code == 403


# --- the import -----------------------------------------------------------------------------------

def test_a_good_workbook_imports_every_row_with_its_teachers(owner, chifeng_bureau):
    upload = workbook_upload([row(), row(title="公需科目网络培训", subject="公需科目", mode="网络", teachers=None,
                                                  place="内蒙古人才培训网（zj.nmgrcpx.com）")])
    plans = plans_import(actor=owner, file=upload, now=NOW)
    assert [p.title for p in plans] == ["新技术培训班", "公需科目网络培训"]
    first = TrainingPlan.objects.get(title="新技术培训班")
    assert first.state == PlanState.DRAFT and first.mode == "face_to_face" and first.subject == "professional"
    assert [t.name for t in first.teachers.all()] == ["高文博", "李敏"]
    assert first.starts_at == dt.datetime(2026, 4, 1, 9, tzinfo=NOW.tzinfo)


def test_one_bad_row_imports_nothing_and_every_problem_is_named_by_row_and_column(owner, chifeng_bureau):
    bad = row(title="坏行", starts_at=dt.datetime(2026, 2, 1, 9), ends_at=dt.datetime(2026, 2, 2, 17),
              mode="函授", planned_headcount="一百")
    upload = workbook_upload([row(), row(title="第二个好行"), bad])
    with pytest.raises(ValidationError) as caught:
        plans_import(actor=owner, file=upload, now=NOW)
    messages = caught.value.messages
    assert any(m.startswith("第5行「开始时间」：开始时间不能早于当前时间") for m in messages)
    assert any(m.startswith("第5行「培训方式」：“函授”无效") for m in messages)
    assert any(m.startswith("第5行「计划人数」：“一百”不是整数") for m in messages)
    assert not any(m.startswith(("第3行", "第4行")) for m in messages)
    assert TrainingPlan.objects.count() == 0


def test_a_missing_value_a_bad_fee_and_a_badly_written_teacher_are_reported(owner, chifeng_bureau):
    upload = workbook_upload([row(place=None, fee="NaN", starts_at="2026-13-45 09:00", teachers="高文博 教授")])
    with pytest.raises(ValidationError) as caught:
        plans_import(actor=owner, file=upload, now=NOW)
    assert "第3行「培训地点或平台」：不能为空。" in caught.value.messages
    assert any(m.startswith("第3行「收费标准」：“NaN”不是有效金额") for m in caught.value.messages)
    assert "第3行「开始时间」：“2026-13-45 09:00”不是有效的日期时间，请按 2026-04-01 09:00 的格式填写。" in (
        caught.value.messages)
    assert any(m.startswith("第3行「师资」：“高文博 教授”格式不对") for m in caught.value.messages)


@pytest.mark.parametrize("upload,expected", [
    (SimpleUploadedFile("plans.csv", "培训名称,科目类别\n".encode()), "请上传 Excel 2007 及以上版本的 .xlsx 文件"),
    (SimpleUploadedFile("plans.xlsx", b"not a zip at all"), "不是有效的 .xlsx 文件"),
    (SimpleUploadedFile("plans.xlsx", b"0" * (5 * 1024 * 1024 + 1)), "不能超过 5 MB"),
])
def test_it_refuses_files_that_are_not_a_small_xlsx(owner, chifeng_bureau, upload, expected):
    with pytest.raises(ValidationError) as caught:
        plans_import(actor=owner, file=upload, now=NOW)
    assert expected in caught.value.messages[0]


def test_it_refuses_a_zip_whose_declared_uncompressed_size_is_huge(owner, chifeng_bureau):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 5 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        plans_import(actor=owner, file=SimpleUploadedFile("bomb.xlsx", buffer.getvalue()), now=NOW)
    assert "解压后体积过大" in caught.value.messages[0]


def test_the_import_page_lists_the_errors_or_reports_the_count(client, owner, chifeng_bureau, frozen_now):
    client.force_login(owner)
    url = reverse("filings:plan_import")
    failed = client.post(url, {"file": workbook_upload([row(hours="abc")])})
    assert failed.status_code == 200
    assert "第3行「每人学时」" in failed.content.decode()
    done = client.post(url, {"file": workbook_upload([row(), row()])}, follow=True)
    assert "已成功导入 2 个培训计划" in done.content.decode()
    assert TrainingPlan.objects.count() == 2
    refused = client.post(url, {"file": SimpleUploadedFile("plans.xls", b"\xd0\xcf\x11\xe0")})
    assert refused.status_code == 200 and ".xlsx" in refused.content.decode()


def test_only_organisers_reach_the_import_page(client, reviewer, outsider):
    client.force_login(reviewer)
    assert client.get(reverse("filings:plan_import")).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("filings:plan_import")).status_code == 200


# --- 附件1 备案表 -----------------------------------------------------------------------------------

@pytest.fixture
def approved_plan(submitted_plan, reviewer):
    return approve(submitted_plan, reviewer)


def test_the_filing_form_prints_with_its_number_and_header_block(client, approved_plan, owner):
    client.force_login(owner)
    detail = client.get(reverse("filings:plan_detail", args=[approved_plan.pk])).content.decode()
    assert reverse("filings:plan_filing_form_print", args=[approved_plan.pk]) in detail
    body = client.get(reverse("filings:plan_filing_form_print", args=[approved_plan.pk])).content.decode()
    for text in ("专业技术人员年度培训计划备案表", approved_plan.filing_no, "主管部门（公章）：赤峰市人社局",
                 "填表时间：2026年03月01日", "联系人：王晓燕", "高文博", "同意备案"):
        assert text in body


def test_the_filing_form_workbook_has_the_same_layout(client, approved_plan, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("filings:plan_filing_form_xlsx", args=[approved_plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = sheet_text(response.content)
    for expected in ("专业技术人员年度培训计划备案表", approved_plan.filing_no, "主管部门（公章）：赤峰市人社局",
                     "填表时间：2026年03月01日", "联系人：王晓燕", "内蒙古大学"):
        assert expected in text


@pytest.mark.parametrize("who,status", [("owner", 200), ("reviewer", 200), ("outsider", 404),
                                        ("reviewer_other_league", 404)])
def test_who_can_print_the_filing_form(client, request, approved_plan, who, status):
    client.force_login(request.getfixturevalue(who))
    for name in ("filings:plan_filing_form_print", "filings:plan_filing_form_xlsx"):
        assert client.get(reverse(name, args=[approved_plan.pk])).status_code == status


def test_a_plan_not_yet_approved_has_no_filing_form(client, submitted_plan, owner):
    client.force_login(owner)
    assert client.get(reverse("filings:plan_filing_form_print", args=[submitted_plan.pk])).status_code == 404


# --- 附件3 知识更新工程培训计划表 --------------------------------------------------------------------

def test_the_knowledge_update_table_lists_approved_plans_and_neutralises_formulas(
    client, make_plan, owner, reviewer
):
    for title in ("=HYPERLINK(\"http://evil\",\"点击\")", "已备案的培训班"):
        plan = make_plan(title=title)
        approve(services.plan_submit(plan=plan, actor=owner, now=NOW), reviewer)
    services.plan_submit(plan=make_plan(title="尚在审核的培训班"), actor=owner, now=NOW)
    client.force_login(reviewer)
    response = client.get(reverse("filings:knowledge_update_export"), {"year": "2026"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "知识更新工程专业技术人员能力提升项目培养培训计划表" in ws["A1"].value
    assert "赤峰市人社局" in ws["A2"].value and "填表时间" in ws["A2"].value
    assert [c.value for c in ws[3]][:3] == ["序号", "项目名称", "主办单位"]
    titles = [ws.cell(row=r, column=2) for r in range(4, ws.max_row + 1)]
    assert [c.value for c in titles] == ["=HYPERLINK(\"http://evil\",\"点击\")", "已备案的培训班"]
    assert all(c.data_type == "s" for c in titles)
    assert [bool(c.quotePrefix) for c in titles] == [True, False]


def test_the_knowledge_update_table_is_empty_for_another_year_and_refused_to_organisers(
    client, approved_plan, reviewer, owner
):
    client.force_login(reviewer)
    response = client.get(reverse("filings:knowledge_update_export"), {"year": "2025"})
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 3
    client.force_login(owner)
    assert client.get(reverse("filings:knowledge_update_export")).status_code == 403


def test_every_text_cell_is_text_and_formula_like_text_keeps_the_quote_prefix():
    from openpyxl import Workbook

    ws = Workbook().active
    cells = [put(ws.cell(row=1, column=n), v) for n, v in enumerate(("=1+1", "+86", "-x", "@A", "\tA", "普通", 5), 1)]
    assert [c.value for c in cells] == ["=1+1", "+86", "-x", "@A", "\tA", "普通", 5]
    assert [c.data_type for c in cells] == ["s"] * 6 + ["n"]
    assert [bool(c.quotePrefix) for c in cells] == [True] * 5 + [False, False]

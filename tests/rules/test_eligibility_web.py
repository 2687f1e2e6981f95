"""Title-office batch, the verdict explained, and the professional's own view, over HTTP."""

import io
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent
from tests.rules.test_card_support import (
    credit,
    flag,
    full_years,
    make_person,
    professional_user,
    reverse_credit,
    title_office_user,
)

pytestmark = pytest.mark.django_db
BATCH = reverse("rules:eligibility_batch")
HEADER = ("姓名", "身份证号码", "审验类型", "级别", "审验日期")


def upload(rows, header=HEADER, name="名单.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def office(region_bureau):
    return title_office_user(region_bureau)


@pytest.fixture
def complete(chifeng_bureau):
    person = make_person(name="巴特尔")
    full_years(person, chifeng_bureau, 2024, 2025, 2026)
    return person


def test_it_judges_an_uploaded_list_and_masks_ids(client, office, complete):
    from tests.ledger.support import id_number
    stranger = id_number(9, birth="19900101")
    client.force_login(office)
    rows = [("巴特尔", complete.id_number, "职称评审", "高级", "2026-09-01"), ("张三", stranger, "职称评审", "初级", "2026-09-01")]
    response = client.post(BATCH, {"file": upload(rows)}, follow=True)
    page = response.content.decode()
    assert "符合要求" in page and "不符合要求" in page
    assert complete.id_number not in page and complete.id_number[:6] + "********" in page
    assert "台账中无此人学时记录" in page
    assert reverse("rules:verdict_detail", args=[complete.pk]) in page


def test_the_download_carries_each_verdict_and_is_logged(client, office, complete):
    client.force_login(office)
    client.post(BATCH, {"file": upload([("巴特尔", complete.id_number, "职称评审", "高级", "2026-09-01")])})
    response = client.get(reverse("rules:eligibility_batch_download"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["审验结论"] == "符合要求" and row["要求年度"] == "2024、2025、2026"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=office).exists()


def test_a_name_starting_like_a_formula_is_kept_as_text(client, office, complete):
    client.force_login(office)
    client.post(BATCH, {"file": upload([("@SUM(A1)", complete.id_number, "职称评审", "高级", "2026-09-01")])})
    sheet = load_workbook(io.BytesIO(client.get(reverse("rules:eligibility_batch_download")).content)).active
    assert (sheet["B2"].value, sheet["B2"].data_type, sheet["B2"].quotePrefix) == ("@SUM(A1)", "s", True)


def test_a_missing_column_is_named(client, office):
    client.force_login(office)
    response = client.post(BATCH, {"file": upload([("巴特尔", "x")], header=("姓名", "身份证号码"))})
    assert "表头缺少列：审验类型、级别" in response.content.decode()


def test_a_bad_row_is_named_by_row_and_column(client, office, complete):
    client.force_login(office)
    rows = [("巴特尔", complete.id_number, "职称评审", "本科", ""), ("李四", "150102198503150018", "职称评审", "高级", "")]
    page = client.post(BATCH, {"file": upload(rows)}).content.decode()
    assert "第2行“级别”列" in page and "第3行“身份证号码”列" in page
    assert "审验结果" not in page


def test_a_file_that_is_not_a_workbook_is_refused(client, office):
    client.force_login(office)
    page = client.post(BATCH, {"file": SimpleUploadedFile("名单.xlsx", b"not a zip")}).content.decode()
    assert "无法读取该文件" in page


def test_the_template_downloads(client, office):
    client.force_login(office)
    sheet = load_workbook(io.BytesIO(client.get(reverse("rules:eligibility_template")).content)).active
    assert tuple(c.value for c in sheet[1]) == (*HEADER, "审验地区代码")


def test_a_professional_may_not_use_the_batch(client, professional):
    client.force_login(professional)
    assert client.get(BATCH).status_code == 403


def detail_url(person, **query):
    query = {"kind": "title_review", "level": "senior", "date": "2026-09-01", **query}
    return reverse("rules:verdict_detail", args=[person.pk]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_detail_explains_year_by_year(client, reviewer, chifeng_bureau):
    person = make_person()
    entries = full_years(person, chifeng_bureau, 2024, 2025, 2026)
    reverse_credit(entries[3])
    client.force_login(reviewer)
    page = client.get(detail_url(person)).content.decode()
    assert "2025年度未完成" in page and "专业 60 学时" in page
    assert "须完成2024年、2025年、2026年的继续教育学时" in page


def test_the_detail_is_out_of_reach_for_another_league(client, reviewer_other_league, complete):
    client.force_login(reviewer_other_league)
    assert client.get(detail_url(complete)).status_code == 404


def test_the_detail_is_refused_to_professionals(client, professional, complete):
    client.force_login(professional)
    assert client.get(detail_url(complete)).status_code == 403


def test_a_bad_review_in_the_query_is_said(client, office, complete):
    client.force_login(office)
    response = client.get(detail_url(complete, level="grade_10_up"))
    assert response.status_code == 400 and "可选：senior、intermediate、junior" in response.content.decode()


def test_the_command_and_the_page_agree(client, office, chifeng_bureau, reviewer, tmp_path):
    """The same person from ledger rows (web page) and from JSON (command) gets the same verdict."""
    person = make_person(birth="19730601")  # 53 on the review day: partial age reduction
    full_years(person, chifeng_bureau, 2025)
    credit(person, 2026, "public", 10, chifeng_bureau)
    flag(person, "epidemic_frontline", reviewer, year=2024)
    records = [{"year": 2025, "subject": s, "hours": h, "source": "training"} for s, h in (("public", 30), ("professional", 60))]
    records.append({"year": 2026, "subject": "public", "hours": 10, "source": "training"})
    payload = {"review": {"kind": "title_review", "level": "senior", "date": "2026-09-01"}, "persons": [{
        "key": "A", "id_number": person.id_number, "flags": [{"code": "epidemic_frontline", "year": 2024}],
        "records": records}]}
    source = tmp_path / "in.json"
    source.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("eligibility", "--input", str(source), stdout=out)
    command = json.loads(out.getvalue())["results"][0]
    client.force_login(office)
    web = client.get(detail_url(person)).context["x"].verdict.as_dict()
    for key in ("eligible", "required_years", "years", "applied"):
        assert web[key] == command[key]
    assert command["required_years"] == [2025, 2026]


@time_machine.travel("2026-09-01 10:00 +0800")
def test_a_professional_sees_own_years_and_requirements(client, chifeng_bureau):
    user = professional_user("own")
    person = make_person(user=user)
    full_years(person, chifeng_bureau, 2025, 2026)
    client.force_login(user)
    response = client.get(reverse("rules:my_eligibility"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2024年度未完成" in page  # senior review this year still needs 2024
    assert "须完成2027年的继续教育学时" in page  # junior review next year
    assert len(response.context["explanations"]) == 6


@time_machine.travel("2026-09-01 10:00 +0800")
def test_my_eligibility_puts_the_card_first_then_a_summary_then_each_verdict_folded(client, chifeng_bureau):
    user = professional_user("compact")
    person = make_person(user=user)
    full_years(person, chifeng_bureau, 2025, 2026)
    client.force_login(user)
    page = client.get(reverse("rules:my_eligibility")).content.decode()
    assert page.index("生成审验卡") < page.index("审验类别") < page.index('<details class="card explanation"')
    assert page.count('<details class="card explanation"') == 6
    assert "<details class=\"card explanation\" id=\"verdict-1\" open" not in page  # folded until asked
    summary = page[page.index("审验类别"):page.index("点击下方各类别")]
    assert summary.count("未达到要求") + summary.count("符合要求") == 6


def test_my_eligibility_is_for_professionals(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("rules:my_eligibility")).status_code == 403


def test_the_batch_keeps_no_personal_data_in_the_session(client, office, complete):
    client.force_login(office)
    client.post(BATCH, {"file": upload([("张三", complete.id_number, "职称评审", "高级", "2026-09-01")])})
    session = {key: client.session[key] for key in client.session.keys()}
    assert complete.id_number not in str(session) and "张三" not in str(session)
    sheet = load_workbook(io.BytesIO(client.get(reverse("rules:eligibility_batch_download")).content)).active
    assert sheet["C2"].value == complete.id_number

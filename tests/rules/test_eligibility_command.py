"""python manage.py eligibility: JSON files, stdin, xlsx, exit status."""

import io
import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from tests.rules.support import payload, years

pytestmark = pytest.mark.django_db


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_it_writes_the_answer_to_the_output_file(tmp_path):
    source = write_json(tmp_path / "in.json", payload(records=years(2024, 2025, 2026)))
    out = io.StringIO()
    call_command("eligibility", "--input", source, "--output", str(tmp_path / "out.json"), stdout=out)
    answer = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert answer["review"]["rules"] == "nmg-2026"
    assert answer["results"][0]["eligible"] is True
    assert out.getvalue() == ""


def test_without_output_only_the_json_goes_to_stdout(tmp_path):
    out = io.StringIO()
    call_command("eligibility", "--input", write_json(tmp_path / "in.json", payload()), stdout=out)
    assert json.loads(out.getvalue())["results"][0]["key"] == "P-1"


def test_it_reads_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(payload(records=years(2024, 2025, 2026)))))
    out = io.StringIO()
    call_command("eligibility", "--input", "-", stdout=out)
    assert json.loads(out.getvalue())["results"][0]["eligible"] is True


def test_malformed_input_raises_with_status_2(tmp_path):
    source = write_json(tmp_path / "in.json", payload(id_number="150102198503150018"))
    with pytest.raises(CommandError) as exc:
        call_command("eligibility", "--input", source, stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert "P-1" in str(exc.value) and "id_number" in str(exc.value)


def test_from_the_command_line_it_exits_2_with_the_message_on_stderr(tmp_path, capsys):
    source = write_json(tmp_path / "in.json", payload(records=[{"year": 2026, "subject": "x", "hours": 1}]))
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "eligibility", "--input", source]).execute()
    captured = capsys.readouterr()
    assert exc.value.code == 2
    assert "P-1" in captured.err and "records[0].subject" in captured.err
    assert captured.out == ""


def test_invalid_json_exits_2(tmp_path):
    (tmp_path / "in.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("eligibility", "--input", str(tmp_path / "in.json"))
    assert exc.value.returncode == 2


def input_workbook(path, person_row, record_rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "审验参数"
    for row in (("字段", "值"), ("kind", "title_review"), ("level", "senior"), ("date", "2026-09-01")):
        sheet.append(row)
    persons = workbook.create_sheet("人员")
    persons.append(("key（人员编号）", "id_number", "birth_date", "sex", "flags", "post_start_year"))
    persons.append(person_row)
    records = workbook.create_sheet("学时记录")
    records.append(("key", "year", "subject", "source", "hours", "minutes"))
    for row in record_rows:
        records.append(row)
    workbook.save(path)
    return str(path)


def test_xlsx_round_trip(tmp_path):
    source = input_workbook(
        tmp_path / "in.xlsx",
        ("A-001", "150102198503150017", None, None, "transferred_from_organ:2025", None),
        [("A-001", 2026, "public", "training", 30, None),
         ("A-001", 2026, "professional", "seminar", None, 2700),
         ("A-001", 2025, "professional", "qualification_exam", None, None)],
    )
    target = tmp_path / "out.xlsx"
    call_command("eligibility", "--input", source, "--output", str(target), stdout=io.StringIO())
    workbook = load_workbook(target)
    review = dict(workbook["审验参数"].iter_rows(min_row=2, values_only=True))
    assert review["rules"] == "nmg-2026"
    result = list(workbook["审验结果"].iter_rows(min_row=2, values_only=True))
    assert result[0][:4] == ("A-001", "是", "2026", "transferred_from_organ")
    year_rows = list(workbook["年度学时"].iter_rows(min_row=2, values_only=True))
    assert year_rows == [("A-001", 2026, 30, 60, True, 0, 0)]


def test_xlsx_record_for_an_unknown_person_exits_2(tmp_path):
    source = input_workbook(
        tmp_path / "in.xlsx", ("A-001", None, "1985-03-15", "M", None, None),
        [("B-002", 2026, "public", "training", 30, None)],
    )
    with pytest.raises(CommandError) as exc:
        call_command("eligibility", "--input", source)
    assert exc.value.returncode == 2 and "B-002" in str(exc.value)


def test_a_file_that_is_not_a_workbook_exits_2(tmp_path):
    (tmp_path / "in.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(CommandError) as exc:
        call_command("eligibility", "--input", str(tmp_path / "in.xlsx"))
    assert exc.value.returncode == 2


def test_xlsx_numeric_cells_for_key_and_region_are_read_as_text(tmp_path):
    source = input_workbook(tmp_path / "in.xlsx", (1001, None, "1985-03-15", "M", None, None),
                            [(1001, 2026, "public", "training", 30, None)])
    workbook = load_workbook(source)
    workbook["审验参数"].append(("region", 150400))
    workbook.save(source)
    out = io.StringIO()
    call_command("eligibility", "--input", source, stdout=out)
    answer = json.loads(out.getvalue())
    assert (answer["review"]["region"], answer["results"][0]["key"]) == ("150400", "1001")


def test_xlsx_ordos_appraisal_with_a_blank_level_and_the_notice_column(tmp_path):
    """Ordos 2022 §二 through the spreadsheet form of the contract: "当年年度考核不予评优"."""
    source = input_workbook(tmp_path / "in.xlsx", ("A-001", None, "1985-03-15", "M", "unit_plan_filed:2021", None),
                            [("A-001", 2021, "public", "training", 30, None),
                             ("A-001", 2021, "professional", "title_exam", None, None)])
    workbook = load_workbook(source)
    sheet = workbook["审验参数"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "kind":
            row[1].value = "annual_appraisal"
        elif row[0].value == "level":
            row[1].value = None
        elif row[0].value == "date":
            row[1].value = "2022-06-01"
    sheet.append(("region", "150600"))
    workbook.save(source)
    target = tmp_path / "out.xlsx"
    call_command("eligibility", "--input", source, "--output", str(target), stdout=io.StringIO())
    out = load_workbook(target)
    review = dict(out["审验参数"].iter_rows(min_row=2, values_only=True))
    assert (review["kind"], review["level"], review["rules"]) == ("annual_appraisal", None, "eeds-2022")
    header = [c.value for c in out["审验结果"][1]]
    result = dict(zip(header, next(out["审验结果"].iter_rows(min_row=2, values_only=True)), strict=True))
    # a title exam counts nothing after 2017 and the unit-plan circumstance is Xilingol's: 2021 falls short
    assert (result["eligible"], result["required_years"]) == ("否", "2021")
    assert result["notice"].startswith("鄂尔多斯市人力资源和社会保障局")


def test_a_workbook_reaching_column_xfd_is_refused_by_the_upload_guard(tmp_path):
    from tests.sheets.limited import sparse_workbook

    (tmp_path / "in.xlsx").write_bytes(sparse_workbook({"A1": "key", "XFD3000": "x"}))
    with pytest.raises(CommandError) as exc:
        call_command("eligibility", "--input", str(tmp_path / "in.xlsx"))
    assert exc.value.returncode == 2 and "列数过多" in str(exc.value)

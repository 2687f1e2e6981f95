import io

import pytest
from openpyxl import load_workbook

from filings.roster.columns import COLUMNS, FIRST_DATA_ROW, HEADER_ROW, INSTRUCTIONS_ROW
from filings.roster.services import roster_import
from filings.roster.template import roster_template_workbook
from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import person, roster_bytes

pytestmark = pytest.mark.django_db
report_plan = support.report_plan


def test_the_template_has_the_roster_columns_and_the_plan_in_its_header(report_plan):
    ws = load_workbook(io.BytesIO(roster_template_workbook(report_plan))).active
    assert [c.value for c in ws[HEADER_ROW]] == ["序号", "姓名", "性别", "身份证号码", "工作单位", "现从事专业",
                                                  "专业技术职务", "科目类别", "学时", "联系电话", "备注", "考试结果"]
    assert report_plan.filing_no in ws["A2"].value and report_plan.title in ws["A2"].value
    assert ws.cell(row=INSTRUCTIONS_ROW, column=1).value.startswith("填写说明")


def test_the_id_column_is_text_and_sex_and_subject_have_drop_downs(report_plan):
    ws = load_workbook(io.BytesIO(roster_template_workbook(report_plan))).active
    assert ws[f"D{FIRST_DATA_ROW}"].number_format == "@"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    assert lists[f"C{FIRST_DATA_ROW}"] == '"男,女"'
    assert lists[f"H{FIRST_DATA_ROW}"] == '"公需科目,专业科目"'
    assert len(COLUMNS) == ws.max_column


def test_a_filled_template_imports(report_plan):
    assert roster_import(plan=report_plan, content=roster_bytes(report_plan, [person(1)])).status == "imported"

"""Employer HR files credit applications in bulk from a spreadsheet written by LibreOffice Calc.

tests/ledger/fixtures/credits_*.xlsx were written by `libreoffice --headless --convert-to xlsx` (LibreOffice
Calc's own xlsx writer; docProps/app.xml names it). credits_broken.xlsx adds two bad rows to the good ones:
row 4 has an ID number with a wrong check character, row 5 puts a research project in the public subject.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ledger.models import CreditApplication, Person
from ledger.services.bulk import COLUMNS, credits_import, template_bytes
from tests.ledger.applications_support import NOW, employer, evidence, person_of_employer

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type=XLSX)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_fixture_was_written_by_libreoffice():
    import zipfile

    with zipfile.ZipFile(FIXTURES / "credits_good.xlsx") as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")


def test_every_row_becomes_an_application_for_a_person_of_the_employer(hr, hospital, chifeng_bureau):
    created = credits_import(actor=hr, uploaded_file=upload("credits_good.xlsx"), evidence=evidence("证书汇总.pdf"))
    assert [(a.person.name, a.source, a.credited_hours, a.filed_by, a.authority) for a in created] == [
        ("王护士", "seminar", 60, hr, chifeng_bureau), ("赵药师", "qualification_exam", 0, hr, chifeng_bureau)]
    assert set(Person.objects.values_list("employer_organisation", flat=True)) == {hospital.pk}
    assert all(a.evidence.read().startswith(b"%PDF-") for a in created)


def test_a_broken_row_is_named_by_row_and_column_and_nothing_is_filed(hr):
    with pytest.raises(ValidationError) as caught:
        credits_import(actor=hr, uploaded_file=upload("credits_broken.xlsx"), evidence=evidence())
    messages = caught.value.messages
    assert any(m.startswith("第 4 行 C 列（身份证号码）") and "校验" in m for m in messages), messages
    assert any(m.startswith("第 5 行 E 列（科目类别）") and "专业科目" in m for m in messages), messages
    assert len(messages) == 2
    assert not CreditApplication.objects.exists() and not Person.objects.exists()


def test_a_person_of_another_employer_is_refused_for_that_row(hr, chifeng_bureau):
    other = employer("赤峰市医院", "150402")
    person_of_employer(other, seq=21, male=False, name="王护士")
    with pytest.raises(ValidationError) as caught:
        credits_import(actor=hr, uploaded_file=upload("credits_good.xlsx"), evidence=evidence())
    assert caught.value.messages == ["第 2 行 C 列（身份证号码）：王护士 已关联其他单位，不能由本单位申报。"]
    assert not CreditApplication.objects.exists() and Person.objects.count() == 1


def test_only_employer_hr_files_in_bulk(reviewer, professional):
    for user in (reviewer, professional):
        with pytest.raises(PermissionDenied):
            credits_import(actor=user, uploaded_file=upload("credits_good.xlsx"), evidence=evidence())


def test_the_evidence_goes_through_the_upload_guard(hr):
    with pytest.raises(ValidationError, match="不符"):
        credits_import(actor=hr, uploaded_file=upload("credits_good.xlsx"), evidence=evidence("a.pdf", b"MZ"))
    assert not CreditApplication.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_by_the_spreadsheet_guard(hr):
    fake = SimpleUploadedFile("学时.xlsx", b"PK\x03\x04 not really", content_type=XLSX)
    with pytest.raises(ValidationError, match="不是有效的 .xlsx"):
        credits_import(actor=hr, uploaded_file=fake, evidence=evidence())


def test_the_template_has_the_columns_the_reader_wants():
    wb = load_workbook(io.BytesIO(template_bytes()))
    assert tuple(c.value for c in wb.worksheets[0][1]) == COLUMNS

"""The list of credit applications and circumstance records: search, filters, pages, export, scope."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.pii import mask_id_number
from ledger.services.applications import circumstance_record, credit_apply
from tests.ledger.applications_support import (
    NOW,
    circumstance,
    evidence,
    exam,
    hr_user,
    person_of_employer,
)

pytestmark = pytest.mark.django_db
URL = reverse("ledger:application_list")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def nurse(hospital):
    return person_of_employer(hospital, seq=2, name="王护士")


def _apply(person, actor, title: str):
    return credit_apply(person=person, actor=actor, data=exam(title=title), evidence=evidence())


def test_it_finds_an_application_by_full_id_number_and_by_name(client, doctor, nurse, professional, hospital,
                                                               reviewer):
    hr = hr_user(hospital)
    _apply(doctor, professional, "药师考试")
    _apply(nurse, hr, "护士考试")
    client.force_login(reviewer)
    by_id = client.get(URL, {"q": nurse.id_number}).content.decode()
    assert "护士考试" in by_id and "药师考试" not in by_id
    by_name = client.get(URL, {"q": "李医"}).content.decode()
    assert "药师考试" in by_name and "护士考试" not in by_name
    # The number the reviewer typed stays in the search box and the export link; the rows show it masked.
    assert mask_id_number(nurse.id_number) in by_id
    assert not re.search(rf"<td>[^<]*{nurse.id_number}", by_id)


def test_it_pages_sixty_applications_without_cutting_any_off(client, doctor, professional, reviewer):
    for n in range(60):
        _apply(doctor, professional, f"考试{n:02d}")
    client.force_login(reviewer)
    first = client.get(URL).content.decode()
    assert "共 60 条" in first and "第 1/2 页" in first and "考试59" in first and "考试09" not in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert "考试00" in second and "考试59" not in second


def test_a_page_takes_as_many_queries_for_thirty_applications_as_for_three(client, doctor, professional, reviewer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx)

    client.force_login(reviewer)
    for n in range(3):
        _apply(doctor, professional, f"考试{n}")
    few = queries()
    for n in range(3, 30):
        _apply(doctor, professional, f"考试{n}")
    assert queries() == few


def test_the_circumstance_tab_filters_by_circumstance_and_keeps_its_tab(client, doctor, hospital, reviewer):
    hr = hr_user(hospital)
    circumstance_record(person=doctor, actor=hr, data=circumstance("grassroots"), evidence=evidence())
    client.force_login(reviewer)
    page = client.get(URL, {"kind": "circumstance", "code": "grassroots"}).content.decode()
    assert "共 1 条" in page and 'name="kind" value="circumstance"' in page
    assert "共 0 条" in client.get(URL, {"kind": "circumstance", "code": "non_public"}).content.decode()


def test_the_export_is_the_filtered_list_with_masked_id_numbers(client, doctor, nurse, professional, hospital,
                                                                 reviewer):
    hr = hr_user(hospital)
    _apply(doctor, professional, "=HYPERLINK(\"http://x\")")
    _apply(nurse, hr, "护士考试")
    client.force_login(reviewer)
    response = client.get(URL, {"q": "李医", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "李医生"
    assert rows[1][2] != doctor.id_number and rows[1][2].startswith(doctor.id_number[:4])
    title_cell = sheet.cell(row=2, column=5)
    assert title_cell.data_type == "s" and title_cell.value.startswith("=HYPERLINK")


def test_the_professional_sees_only_their_own(client, doctor, nurse, professional, hospital):
    hr = hr_user(hospital)
    _apply(doctor, professional, "药师考试")
    _apply(nurse, hr, "护士考试")
    client.force_login(professional)
    page = client.get(URL).content.decode()
    assert "药师考试" in page and "护士考试" not in page


def test_a_reviewer_of_another_league_sees_none(client, doctor, professional, reviewer_other_league):
    _apply(doctor, professional, "药师考试")
    client.force_login(reviewer_other_league)
    assert "共 0 条" in client.get(URL).content.decode()

"""Helpers for the roster tests: valid ID numbers, a plan awaiting its report, workbooks made on the spot."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from filings import services
from filings.roster.columns import FIRST_DATA_ROW
from filings.roster.template import roster_template_workbook
from rules.idnumber import check_character
from tests.filings.conftest import NOW


def make_id(n: int, *, male: bool = True, birth: str = "19850612", area: str = "150404") -> str:
    sequence = (n * 2 + (1 if male else 0)) % 1000
    first17 = f"{area}{birth}{sequence:03d}"
    return first17 + check_character(first17)


def person(n: int = 1, **overrides) -> list:
    male = overrides.pop("male", n % 2 == 1)
    values = {"seq": n, "name": f"学员{n}", "sex": "男" if male else "女", "id_number": make_id(n, male=male),
              "employer": "赤峰市医院", "specialty": "临床医学", "title": "主治医师", "subject": "专业科目",
              "hours": 24, "phone": "13800000000", "note": "", "exam": ""}
    values.update(overrides)
    return list(values.values())


def roster_bytes(plan, rows: list[list]) -> bytes:
    wb = load_workbook(io.BytesIO(roster_template_workbook(plan)))
    ws = wb.active
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            ws.cell(row=FIRST_DATA_ROW + offset, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def roster_upload_file(plan, rows, name="花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, roster_bytes(plan, rows))


def to_awaiting_report(plan, owner, reviewer):
    services.plan_submit(plan=plan, actor=owner, now=NOW)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=NOW)
    services.plans_advance_by_clock(now=plan.ends_at)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def report_plan(make_plan, owner, reviewer):
    """A plan whose training has ended: 100 planned trainees, 24 professional-subject hours each."""
    return to_awaiting_report(make_plan(), owner, reviewer)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def messages_of(outcome) -> list[str]:
    return [f"{e['row']}|{e['column']}|{e['message']}" for e in outcome.errors]


def test_make_id_gives_valid_numbers():
    from rules.idnumber import parse_id_number

    assert parse_id_number(make_id(7, male=False)) == (dt.date(1985, 6, 12), "F")

"""Employer HR files credit applications in bulk from a spreadsheet (学时认定批量申报).

The template's one sheet lists one application per row; one evidence file (a PDF of the certificates,
in the order of the rows) goes with the upload. Every row is checked first and every error named by
row and column; nothing is filed unless every row is right (all or nothing, as the roster import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import Role, User
from ledger.models import CreditApplication, Person, Source
from ledger.services.applications import CreditData, credit_apply, credited_hours
from ledger.services.entries import PersonData, person_link_employer, persons_ensure
from rules.idnumber import normalise_id_number, parse_id_number
from sheets.cells import BOLD, append_row, plain_text, workbook_bytes, write_row
from sheets.guard import open_uploaded_workbook

COLUMNS = ("序号", "姓名", "身份证号码", "学时来源", "科目类别", "项目名称", "证书日期", "学时", "时长（分钟）",
           "批准（认可）文号", "备注")
REQUIRED = ("姓名", "身份证号码", "学时来源", "科目类别", "项目名称", "证书日期")
SOURCE_NAMES = {label: code for code, label in Source.choices if code != Source.TRAINING}
SUBJECT_NAMES = {"公需科目": "public", "专业科目": "professional", "公需": "public", "专业": "professional"}
MAX_ROWS = 1000


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    id_number: str
    data: CreditData


def template_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "学时认定申报"
    write_row(ws, 1, COLUMNS, font=BOLD)
    write_row(ws, 2, (1, "张三", "150102197105120010", Source.SEMINAR.label, "专业科目", "2026年自治区医学高研班",
                      "2026-05-20", "", 2700, "", "证书第1页"))
    for index, width in enumerate((6, 10, 22, 30, 10, 30, 12, 8, 12, 20, 20), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for column, choices in (("D", SOURCE_NAMES), ("E", ("公需科目", "专业科目"))):
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False)
        ws.add_data_validation(validation)
        validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
    notes = wb.create_sheet("填写说明")
    for line in ("每行一项申请；身份证号码请以文本格式填写。", "学时与时长（分钟）填写其中一项；时长按45分钟折合1学时。",
                 "职业资格考试、课题结项、学历教育不填学时：按规则视同完成当年度专业科目学时要求。",
                 "证明材料：将各行的证书扫描件按行序合并为一个 PDF，与本表一同上传。"):
        append_row(notes, [line])
    return workbook_bytes(wb)


def _where(number: int, header: str) -> str:
    return f"第 {number} 行 {get_column_letter(COLUMNS.index(header) + 1)} 列（{header}）"


def _date(value, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(plain_text(value).replace("/", "-"))
    except ValueError:
        raise ValidationError(f"{where}：“{plain_text(value)}”不是日期，请写成 2026-05-20。") from None


def _int(value, where: str) -> int | None:
    text = plain_text(value)
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(f"{where}：“{text}”不是整数。")
    return int(text)


def _row(number: int, cells: dict) -> Row:
    errors = [f"{_where(number, h)}：不能为空。" for h in REQUIRED if not plain_text(cells.get(h))]
    if errors:
        raise ValidationError(errors)
    id_number = normalise_id_number(plain_text(cells["身份证号码"]))
    try:
        parse_id_number(id_number)
    except ValueError as error:
        raise ValidationError(f"{_where(number, '身份证号码')}：{error}") from None
    source = SOURCE_NAMES.get(plain_text(cells["学时来源"]))
    if source is None:
        raise ValidationError(f"{_where(number, '学时来源')}：“{plain_text(cells['学时来源'])}”不是可申报的来源，"
                              f"请从下拉列表中选择。")
    subject = SUBJECT_NAMES.get(plain_text(cells["科目类别"]))
    if subject is None:
        raise ValidationError(f"{_where(number, '科目类别')}：请填写“公需科目”或“专业科目”。")
    data = CreditData(
        source=source, subject=subject, title=plain_text(cells["项目名称"]),
        certificate_date=_date(cells["证书日期"], _where(number, "证书日期")),
        hours=_int(cells.get("学时"), _where(number, "学时")),
        minutes=_int(cells.get("时长（分钟）"), _where(number, "时长（分钟）")),
        approval_reference=plain_text(cells.get("批准（认可）文号")), note=plain_text(cells.get("备注")),
    )
    return Row(number, plain_text(cells["姓名"]), id_number, data)


FIELD_COLUMNS = {"source": "学时来源", "subject": "科目类别", "title": "项目名称", "certificate_date": "证书日期",
                 "hours": "学时", "approval_reference": "批准（认可）文号"}


def _rule_errors(row: Row, person: Person) -> list[str]:
    """The rule-set checks credit_apply will make, run up front so every row's errors show at once."""
    try:
        credited_hours(person=person, data=row.data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return [f"{_where(row.number, FIELD_COLUMNS.get(field, '学时来源'))}：{message}"
                    for field, messages in error.message_dict.items() for message in messages]
        return [f"第 {row.number} 行：{message}" for message in error.messages]
    return []


def read_rows(uploaded_file) -> tuple[list[Row], list[str]]:
    """The rows that read well, and the errors of those that did not."""
    wb = open_uploaded_workbook(uploaded_file)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = {plain_text(value): index for index, value in enumerate(next(rows, ()) or ()) if plain_text(value)}
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ValidationError(f"第 1 行缺少列：{'、'.join(missing)}。请使用下载的模板。")
    found, errors = [], []
    for number, values in enumerate(rows, start=2):
        if not any(plain_text(v) for v in values):
            continue
        if len(found) + len(errors) >= MAX_ROWS:
            raise ValidationError(f"一次最多申报 {MAX_ROWS} 行，请分批上传。")
        cells = {h: values[i] if i < len(values) else None for h, i in header.items()}
        try:
            found.append(_row(number, cells))
        except ValidationError as error:
            errors.extend(error.messages)
    if not found and not errors:
        raise ValidationError("表格中没有申报数据。")
    return found, errors


def _persons(rows: list[Row], organisation) -> tuple[dict[str, Person], list[str]]:
    persons = persons_ensure(people=[PersonData(r.id_number, r.name, organisation.name[:100], f"第 {r.number} 行")
                                     for r in rows], employer_organisation=organisation)
    errors = []
    for row in rows:
        person = persons[row.id_number]
        if person.employer_organisation_id not in (None, organisation.pk):
            errors.append(f"{_where(row.number, '身份证号码')}：{person.name} 已关联其他单位，不能由本单位申报。")
        elif person.name != row.name:
            errors.append(f"{_where(row.number, '姓名')}：与身份证号码登记的姓名“{person.name}”不一致。")
    return persons, errors


def _row_number(message: str) -> int:
    return int(message.split(" ")[1]) if message.startswith("第 ") else 0


@transaction.atomic
def credits_import(*, actor: User, uploaded_file, evidence) -> list[CreditApplication]:
    """1. employer HR only; 2. every row read and checked (rules included), all errors at once;
    3. persons found, created or linked to the employer; 4. one application per row, sharing the evidence."""
    if not actor.is_active or actor.role != Role.EMPLOYER_HR or not actor.organisation_id:
        raise PermissionDenied("只有用人单位人事经办人可以批量申报学时认定。")
    rows, errors = read_rows(uploaded_file)
    persons, person_errors = _persons(rows, actor.organisation)
    errors += person_errors
    for row in rows:
        if not any(e.startswith(f"第 {row.number} 行") for e in errors):
            persons[row.id_number] = person_link_employer(person=persons[row.id_number], organisation=actor.organisation)
            errors += _rule_errors(row, persons[row.id_number])
    if errors:  # raising rolls back the persons created or linked above
        raise ValidationError(sorted(errors, key=_row_number))
    created = []
    for row in rows:
        evidence.seek(0)
        created.append(credit_apply(person=persons[row.id_number], actor=actor, data=row.data, evidence=evidence))
    return created

"""培训计划批量导入: a year's plans from the upload template, all or nothing.

Every row is checked and every problem reported by row and column; if any row is wrong,
no plan is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils.datetime import from_excel

from accounts.models import User
from filings import services
from filings.models import TrainingPlan
from filings.permissions import require_organiser
from filings.spreadsheets.plan_columns import (
    BY_FIELD,
    COLUMNS,
    FIRST_DATA_ROW,
    INSTRUCTIONS_MARK,
    MAX_DATA_ROWS,
    MODE_BY_LABEL,
    SUBJECT_BY_LABEL,
)
from filings.validation import validate_plan_fields
from sheets.cells import plain_text
from sheets.guard import open_uploaded_workbook

DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M",
                    "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message says what to write instead."""


def _datetime(value) -> dt.datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            value = from_excel(value)
        except (ValueError, OverflowError) as error:
            raise CellError("无法识别的日期时间，请按 2026-04-01 09:00 的格式填写。") from error
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        value = _parse_datetime_text(value.strip())
    if not isinstance(value, dt.datetime):
        raise CellError("无法识别的日期时间，请按 2026-04-01 09:00 的格式填写。")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _parse_datetime_text(text: str) -> dt.datetime:
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise CellError(f"“{text}”不是有效的日期时间，请按 2026-04-01 09:00 的格式填写。")


def _integer(value) -> int:
    text = plain_text(value)
    if not re.fullmatch(r"\d+", text):
        raise CellError(f"“{text}”不是整数，请填写阿拉伯数字。")
    return int(text)


def _money(value) -> Decimal:
    try:
        amount = Decimal(plain_text(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise CellError(f"“{plain_text(value)}”不是有效金额，请填写不小于 0 的数字（元/人），不收费填 0。")
    return amount


def _choice(table: dict, allowed: str):
    def parse(value):
        text = plain_text(value)
        if text not in table:
            raise CellError(f"“{text}”无效，请从下拉列表中选择{allowed}。")
        return table[text]
    return parse


def _teachers(value) -> list[dict]:
    teachers = []
    for entry in filter(None, (e.strip() for e in re.split(r"[;；\n]", plain_text(value)))):
        parts = [p.strip() for p in re.split(r"[/／]", entry)]
        if len(parts) != 3 or not all(parts):
            raise CellError(f"“{entry}”格式不对，每位师资请按 姓名/职称/单位 填写，多人用分号分隔。")
        teachers.append(dict(zip(("name", "title", "employer"), parts, strict=True)))
    return teachers


PARSERS = {
    "subject": _choice(SUBJECT_BY_LABEL, "公需科目或专业科目"),
    "mode": _choice(MODE_BY_LABEL, "面授、网络或线上+线下"),
    "starts_at": _datetime, "ends_at": _datetime,
    "planned_headcount": _integer, "hours": _integer, "credit_year": _integer,
    "fee": _money, "teachers": _teachers,
}
DEFAULTS = {"fee": Decimal("0"), "credit_year": None, "teachers": []}


def _read_cell(column, value, data: dict, errors: dict) -> None:
    if plain_text(value) == "":
        data[column.field] = DEFAULTS.get(column.field)
        if column.required:
            errors[column.field] = "不能为空。"
        return
    try:
        data[column.field] = PARSERS.get(column.field, plain_text)(value)
    except CellError as error:
        data[column.field] = DEFAULTS.get(column.field)
        errors[column.field] = str(error)


def _row_messages(row_number: int, errors: dict) -> list[str]:
    messages = []
    for field, problems in errors.items():
        column = BY_FIELD.get(field)
        where = f"第{row_number}行「{column.label}」" if column else f"第{row_number}行"
        for problem in problems if isinstance(problems, list) else [problems]:
            messages.append(f"{where}：{problem}")
    return messages


def _column_positions(header_row) -> dict[str, int]:
    headers = [plain_text(h) for h in header_row]
    missing = [c.header for c in COLUMNS if c.header not in headers]
    if missing:
        raise ValidationError(
            f"第1行表头缺少列：{'、'.join(missing)}。请下载并使用系统提供的培训计划导入模板，不要修改表头。"
        )
    return {c.field: headers.index(c.header) for c in COLUMNS}


def _data_rows(ws):
    """(row number, cells) of the rows that hold a plan: blank and instruction rows skipped."""
    rows = ws.iter_rows(min_row=1, max_row=FIRST_DATA_ROW + MAX_DATA_ROWS, values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError("工作表是空的：请在导入模板中从第3行起填写培训计划。")
    positions = _column_positions(header)
    for number, cells in enumerate(rows, start=2):
        first = plain_text(cells[0]) if cells else ""
        if first.startswith(INSTRUCTIONS_MARK) or not any(plain_text(c) for c in cells):
            continue
        padded = list(cells) + [None] * len(COLUMNS)
        yield number, {field: padded[index] for field, index in positions.items()}


def _check_row_size(ws) -> None:
    if ws.max_row and ws.max_row > FIRST_DATA_ROW + MAX_DATA_ROWS:
        raise ValidationError(f"一次最多导入 {MAX_DATA_ROWS} 个计划，请拆分后分批导入。")


def _import_row(actor: User, cells: dict, now: dt.datetime) -> tuple[TrainingPlan | None, dict]:
    data, errors = {}, {}
    for column in COLUMNS:
        _read_cell(column, cells[column.field], data, errors)
    teachers = data.pop("teachers")
    try:
        if errors:  # still check the readable fields, so the uploader sees every problem at once
            validate_plan_fields(data, teachers=teachers, organisation=actor.organisation, now=now)
            return None, errors
        return services.plan_create(actor=actor, data=data, teachers=teachers, now=now), {}
    except ValidationError as error:
        found = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return None, {field: found[field] for field in found if field not in errors} | errors


def plans_import(*, actor: User, file, now: dt.datetime | None = None) -> list[TrainingPlan]:
    """1. refuse unsafe or unreadable files; 2. read and create every row in one transaction;
    3. if any row is wrong, roll back and raise ValidationError listing every problem."""
    require_organiser(actor, message="只有培训组织单位经办人可以导入培训计划。")
    now = now or timezone.now()
    wb = open_uploaded_workbook(file)
    try:
        ws = wb.worksheets[0]
        _check_row_size(ws)
        return _create_all(actor, list(_data_rows(ws)), now)
    finally:
        wb.close()


def _create_all(actor: User, rows: list, now: dt.datetime) -> list[TrainingPlan]:
    if not rows:
        raise ValidationError(f"没有找到培训计划：请从第{FIRST_DATA_ROW}行起每行填写一个计划。")
    plans, messages = [], []
    with transaction.atomic():
        for number, cells in rows:
            plan, errors = _import_row(actor, cells, now)
            if plan is not None:
                plans.append(plan)
            messages += _row_messages(number, errors)
        if messages:
            raise ValidationError(messages)  # leaving the block by an exception rolls every row back
    return plans

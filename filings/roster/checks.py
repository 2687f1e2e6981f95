"""Check every roster row against the ID rules and the plan; collect every error, by row and column."""

from __future__ import annotations

import datetime as dt
import re

from filings.models import Subject, TrainingPlan
from filings.roster.columns import BY_KEY, COLUMNS, EXAM_LABELS, SEX_LABELS, SEX_TEXT
from filings.roster.reader import RosterSheet
from rules.idnumber import normalise_id_number, parse_normalised_id_number

SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")
NUMERIC_ID = ("身份证号码被存成了数值（如 1.50102E+17），Excel 只保留15位有效数字，末尾几位已丢失，无法还原。"
              "请把“身份证号码”列的单元格格式设置为“文本”，再重新录入完整的18位号码。")
FIELDS = ("seq", "name", "sex", "id_number", "employer", "specialty", "title", "subject", "hours", "phone", "note",
          "exam_passed")
TEXT_COLUMNS = [c for c in COLUMNS if c.key not in ("seq", "id_number", "hours")]
SUBJECT_LABELS = {label: value for value, label in Subject.choices} | {"公需": "public", "专业": "professional"}


def error(row: int | None, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def cell_text(value) -> str:
    """A cell as text: integral numbers without '.0', dates as ISO, blanks as ''."""
    if type(value) is str:
        return value.strip()
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).strip()


class RowChecker:
    """Checks one row at a time; remembers ID numbers seen so far to find the same person twice."""

    def __init__(self, plan: TrainingPlan, positions: dict[str, int]):
        self.plan = plan
        self.positions = positions
        self.seen: dict[str, int] = {}
        # Missing columns read as a blank cell past the end of every row.
        self.width = max(positions.values(), default=-1) + 1
        blank = self.width
        # (key, position, header, required, max_length) of each text column, looked up once.
        self.text_at = [(c.key, positions.get(c.key, blank), c.header, c.required, c.max_length)
                        for c in TEXT_COLUMNS]
        self.id_at = positions.get("id_number", blank)
        self.hours_at = positions.get("hours", blank)

    def check(self, row: int, values: list, seq: int) -> tuple[tuple | None, list[dict]]:
        """Return the row as a tuple in FIELDS order, or None and its errors."""
        errors: list[dict] = []
        if len(values) <= self.width:
            values = list(values) + [None] * (self.width + 1 - len(values))
        data = {}
        for key, at, header, required, max_length in self.text_at:
            value = data[key] = cell_text(values[at])
            if required and not value:
                errors.append(error(row, header, f"“{header}”不能为空，请填写。"))
            elif max_length and len(value) > max_length:
                errors.append(error(row, header, f"“{header}”过长：不能超过{max_length}个字。"))
        id_number, id_sex = self._id_number(row, values[self.id_at], errors)
        sex = self._sex(row, data["sex"], id_sex, errors)
        subject = self._subject(row, data["subject"], errors)
        hours = self._hours(row, values[self.hours_at], errors)
        exam_passed = EXAM_LABELS.get(data["exam"])
        if data["exam"] and exam_passed is None:
            errors.append(error(row, BY_KEY["exam"].header, "“考试结果”应填写“合格”或“不合格”，或留空。"))
        if errors:
            return None, errors
        return (seq, data["name"], sex, id_number, data["employer"], data["specialty"], data["title"], subject,
                hours, data["phone"], data["note"], exam_passed), []

    def _id_number(self, row: int, raw, errors: list[dict]) -> tuple[str, str | None]:
        header = BY_KEY["id_number"].header
        text = cell_text(raw)
        if not text:
            errors.append(error(row, header, "“身份证号码”不能为空，请填写。"))
            return "", None
        if (isinstance(raw, int | float) and not isinstance(raw, bool)) or SCIENTIFIC.match(text):
            errors.append(error(row, header, NUMERIC_ID))
            return "", None
        number = normalise_id_number(text)
        try:
            _birth, sex = parse_normalised_id_number(number)
        except ValueError as problem:
            errors.append(error(row, header, str(problem)))
            return "", None
        if number in self.seen:
            errors.append(error(row, header, f"与第{self.seen[number]}行是同一人（身份证号码重复），同一人只能登记一次。"))
        else:
            self.seen[number] = row
        return number, sex

    def _sex(self, row: int, text: str, id_sex: str | None, errors: list[dict]) -> str:
        if not text:
            return ""
        sex = SEX_LABELS.get(text)
        if sex is None:
            errors.append(error(row, "性别", f"性别“{text}”无效：请填写“男”或“女”。"))
        elif id_sex and sex != id_sex:
            errors.append(error(row, "性别", f"性别“{text}”与身份证号码不符：按身份证号码应为“{SEX_TEXT[id_sex]}”。"))
        return sex or ""

    def _subject(self, row: int, text: str, errors: list[dict]) -> str:
        if not text:
            return ""
        subject = SUBJECT_LABELS.get(text)
        if subject is None:
            errors.append(error(row, "科目类别", f"科目类别“{text}”无效：请填写“公需科目”或“专业科目”。"))
        elif subject != self.plan.subject:
            errors.append(error(row, "科目类别", f"科目类别“{text}”与备案计划的科目类别"
                                                  f"“{self.plan.get_subject_display()}”不一致。"))
        return subject or ""

    def _hours(self, row: int, raw, errors: list[dict]) -> int:
        text = cell_text(raw)
        if not text:
            errors.append(error(row, "学时", "“学时”不能为空，请填写。"))
            return 0
        # isdecimal(), not isdigit(): "²" passes isdigit() but int() refuses it; full-width "２４" is fine.
        if not text.isdecimal() or int(text) <= 0:
            errors.append(error(row, "学时", f"学时“{text}”无效：应为正整数。"))
            return 0
        if int(text) > self.plan.hours:
            errors.append(error(row, "学时", f"学时 {text} 超过了计划每人学时 {self.plan.hours}。"))
        return int(text)


def sheet_errors(plan: TrainingPlan, sheet: RosterSheet) -> list[dict]:
    """Problems of the sheet as a whole: missing columns, another plan's roster, no trainees."""
    errors = [error(sheet.header_row, name, f"缺少“{name}”列：请使用花名册模板，不要删除或改动列名。")
              for name in sheet.missing]
    if sheet.plan_line and plan.filing_no not in sheet.plan_line:
        errors.append(error(sheet.plan_line_row, "备案编号", f"这份花名册不是本计划（{plan.filing_no}）的："
                                                          "请下载本计划的花名册模板重新填写。"))
    if not errors and not sheet.rows:
        errors.append(error(None, "", "花名册中没有学员：请从模板的第5行起每行填写一名学员。"))
    return errors

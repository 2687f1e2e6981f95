"""Check every roster row against the ID rules and the plan; collect every error, by row and column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from operator import itemgetter, methodcaller

from filings.models import Subject, TrainingPlan
from filings.roster.columns import BY_KEY, COLUMNS, EXAM_LABELS, SEX_LABELS, SEX_TEXT
from filings.roster.reader import RosterSheet
from rules.idnumber import CHECK_CHARS, FULL_WIDTH, WEIGHTS, normalise_id_number, parse_normalised_id_number

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


# Column-wise check of a clean sheet -------------------------------------------------------------------------
# RowChecker is the reference: it finds and words every error. `clean_entries` checks whole columns at once
# with C-level builtins (map, set, zip) and returns the very tuples RowChecker would return when no row has
# an error; on anything it cannot vouch for it returns None, and the caller runs RowChecker for the errors.

_NORMALISE = methodcaller("translate", FULL_WIDTH)
# Byte tables for the check character, computed column-wise over all numbers at once: for each of the 17 digit
# positions, digit -> (weight * digit) mod 11; the 17 residues of a number add up to at most 170, so adding the
# positions as big integers (one byte per number) carries nothing from one number into the next.
_RESIDUES = [bytes((w * (b - 48)) % 11 if 48 <= b <= 57 else 0 for b in range(256)) for w in WEIGHTS]
_CHECK_OF_SUM = bytes(ord(CHECK_CHARS[b % 11]) for b in range(256))
_SEX_OF_DIGIT = bytes(ord("M") if 48 <= b <= 57 and (b - 48) % 2 else ord("F") for b in range(256))
_BIRTH = slice(6, 14)


def _texts(column: list) -> list[str]:
    """cell_text of every cell, with str.strip alone for a column of text."""
    if set(map(type, column)) <= {str}:
        return list(map(str.strip, column))  # the method itself: a methodcaller costs five times more
    return list(map(cell_text, column))


def _checked_ids(column: list) -> tuple[list[str], list[str]] | None:
    """(normalised numbers, sex by number) when every cell is a valid 18-character number, else None."""
    if not set(map(type, column)) <= {str}:
        return None  # numbers, dates, blanks: RowChecker explains them
    numbers = _texts(column)
    joined = "".join(numbers)
    if not joined.isascii() or "x" in joined:  # full-width digits or a lower-case x: normalise one by one
        numbers = list(map(str.upper, map(_NORMALISE, numbers)))
        joined = "".join(numbers)
    count = len(numbers)
    if not joined.isascii() or len(joined) != 18 * count or set(map(len, numbers)) != {18}:
        return None
    data = joined.encode("ascii")
    if not all(data[at::18].isdigit() for at in range(17)) or not set(data[17::18]) <= set(b"0123456789X"):
        return None
    total = sum(int.from_bytes(data[at::18].translate(_RESIDUES[at]), "big") for at in range(17))
    if total.to_bytes(count, "big").translate(_CHECK_OF_SUM) != data[17::18]:
        return None
    for birth in set(map(itemgetter(_BIRTH), numbers)):  # distinct birth dates only: a few thousand at most
        try:
            dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
        except ValueError:
            return None
    if len(set(numbers)) != count:
        return None
    return numbers, list(data[16::18].translate(_SEX_OF_DIGIT).decode("ascii"))


def _checked_hours(column: list, limit: int) -> list[int] | None:
    kinds = set(map(type, column))
    if kinds <= {int, float}:
        if float in kinds and not all(map(float.is_integer, map(float, column))):
            return None
        hours = list(map(int, column))
    elif kinds <= {str}:
        texts = list(map(str.strip, column))
        if not all(map(str.isdecimal, texts)):
            return None
        hours = list(map(int, texts))
    else:
        return None
    if not hours or min(hours) <= 0 or max(hours) > limit:
        return None
    return hours


def sheet_ids(sheet: RosterSheet) -> tuple[list[str], list[str]] | None:
    """The whole ID-number column checked at once (valid, and no one twice): (normalised numbers, sex by number),
    or None when some row may have an error there."""
    at = sheet.positions.get("id_number")
    if at is None or not sheet.rows or min(len(values) for _, values in sheet.rows) <= at:
        return None
    return _checked_ids([values[at] for _, values in sheet.rows])


class NotClean(Exception):
    """A batch of rows the column-wise check cannot vouch for: RowChecker must find and word its errors."""


def clean_batches(plan: TrainingPlan, sheet: RosterSheet, ids: tuple[list[str], list[str]],
                  size: int) -> Iterator[list[tuple]]:
    """The entries of a sheet whose ID numbers `sheet_ids` has checked, `size` rows at a time, each batch checked
    as it is asked for (so a store can write one batch while the next is checked); NotClean at the first batch
    with a row that may have an error."""
    numbers, sexes = ids
    for start in range(0, len(sheet.rows), size):
        end = start + size
        entries = clean_entries(plan, sheet.positions, sheet.rows[start:end], ids=(numbers[start:end], sexes[start:end]),
                                first_seq=start + 1)
        if entries is None:
            raise NotClean
        yield entries


def clean_entries(plan: TrainingPlan, positions: dict[str, int], rows: list[tuple[int, list]], *,
                  ids: tuple[list[str], list[str]] | None = None, first_seq: int = 1) -> list[tuple] | None:
    """The entries RowChecker would make, in one pass per column, or None when some row may have an error.
    `ids`: these rows' ID numbers already checked by sheet_ids; `first_seq`: the first row's 序号 (its place in
    the sheet)."""
    if not rows or any(c.key not in positions for c in COLUMNS if c.required):
        return None
    width = max(positions.values()) + 1
    values = [v for _, v in rows]
    if min(map(len, values)) < width:
        return None
    blank = ("",) * len(values)
    transposed = list(zip(*values, strict=False))  # rows are of one width (calamine pads them)
    columns = {key: list(transposed[positions[key]]) if key in positions else blank
               for key in [c.key for c in TEXT_COLUMNS] + ["hours"]}
    texts = {}
    for column in TEXT_COLUMNS:
        cells = _texts(columns[column.key])
        if column.required and not all(cells):
            return None
        if column.max_length and max(map(len, cells)) > column.max_length:
            return None
        texts[column.key] = cells
    ids = ids or _checked_ids(list(transposed[positions["id_number"]]))
    if ids is None:
        return None
    numbers, id_sexes = ids
    sexes = list(map(SEX_LABELS.get, texts["sex"]))
    if sexes != id_sexes:
        return None
    if {SUBJECT_LABELS.get(label) for label in set(texts["subject"])} != {plan.subject}:
        return None
    hours = _checked_hours(columns["hours"], plan.hours)
    if hours is None:
        return None
    exams = texts["exam"]
    if not set(exams) <= {"", *EXAM_LABELS}:
        return None
    subjects = [plan.subject] * len(values)
    return list(zip(range(first_seq, first_seq + len(values)), texts["name"], sexes, numbers, texts["employer"], texts["specialty"],
                    texts["title"], subjects, hours, texts["phone"], texts["note"], list(map(EXAM_LABELS.get, exams)),
                    strict=True))

"""职称评审办公室批量审验: an applicant list (.xlsx) judged from the ledger, and the verdicts as .xlsx.

The list gives 姓名, 身份证号码, 审验类型, 级别 and, optionally, 审验日期 (default: today); the
reductions come from the ledger's PersonFlag records, not from the list. An applicant the ledger does
not know gets a verdict with no hours.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.pii import mask_id_number
from ledger.models import Person
from ledger.selectors import person_region
from rules import ledger_source
from rules.cards.explain import APPLIED_LABELS, review_label
from rules.eligibility import LEVELS
from rules.engine import EligibilityInputError, PersonInput, Review
from rules.engine.types import KIND_LABELS, LEVEL_LABELS
from rules.idnumber import normalise_id_number, parse_id_number
from sheets.cells import BOLD, append_row, plain_text, workbook_bytes, write_row
from sheets.guard import WorkbookLimits, open_uploaded_workbook

COLUMNS = ("姓名", "身份证号码", "审验类型", "级别", "审验日期", "审验地区代码")
REQUIRED = COLUMNS[:4]
KINDS = {"职称评审": "title_review", "岗位聘任": "post_appointment", "考核认定": "recognition",
         "年度考核评优": "annual_appraisal", "事业单位奖励": "commendation"}
LEVEL_CHOICES = ("高级", "中级", "初级", "十级及以上", "十一级及以下", "专科", "本科", "硕士", "博士")
LEVEL_NAMES = {label: code for code, label in LEVEL_LABELS.items()} | {
    "十级及以上": "grade_10_up", "十一级及以下": "grade_11_down",
}
MAX_ROWS = 2000
LIMITS = WorkbookLimits(label="申报人员名单", max_rows=MAX_ROWS + 100, max_columns=30, max_area=(MAX_ROWS + 100) * 30,
                        max_cells=(MAX_ROWS + 100) * 30)
RESULT_COLUMNS = ("序号", "姓名", "身份证号码", "审验类型", "级别", "审验日期", "依据通知", "台账中有此人",
                  "审验结论", "要求年度", "各年度学时", "减免及折算", "说明")


@dataclass(frozen=True)
class Applicant:
    row: int
    name: str
    id_number: str
    kind: str
    level: str | None
    day: date
    region: str | None = None  # 审验地区代码; blank: the employer's division in the ledger, else the region's


def template_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "申报人员"
    write_row(ws, 1, COLUMNS, font=BOLD)
    write_row(ws, 2, ("张三", "150102197105120010", "职称评审", "高级", "2026-09-01", ""))
    for column, width in zip("ABCDEF", (12, 22, 12, 14, 14, 14), strict=True):
        ws.column_dimensions[column].width = width
        ws.column_dimensions[column].number_format = "@"
    _validation(ws, "C", KINDS)
    _validation(ws, "D", LEVEL_CHOICES)
    notes = wb.create_sheet("填写说明")
    for line in _notes():
        append_row(notes, [line])
    return workbook_bytes(wb)


def _validation(ws, column: str, choices) -> None:
    rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False)
    rule.error, rule.errorTitle = "请从下拉列表中选择。", "取值无效"
    ws.add_data_validation(rule)
    rule.add(f"{column}2:{column}{MAX_ROWS + 1}")


def _notes() -> list[str]:
    return [
        "第一行为表头，请勿修改；每行一名申报人员，最多 2000 行。",
        "身份证号码：18位，请将该列设为文本格式，以免末几位被 Excel 改为 0。",
        "审验类型：职称评审、岗位聘任、考核认定、年度考核评优、事业单位奖励。",
        "级别：职称评审填 高级/中级/初级；岗位聘任填 十级及以上/十一级及以下；考核认定填 专科/本科/硕士/博士；"
        "年度考核评优、事业单位奖励不填。",
        "审验日期：申报日期，格式 2026-09-01；不填按今天。年龄按此日计算，并按此日所在年度的规则审验。",
        "审验地区代码：审验机关所在地的6位行政区划代码，可不填；不填时按台账登记的所在单位所在地，"
        "再无则按自治区的规则审验。",
        "学时减免情形（非公、基层、转任、破格等）以学时台账登记的为准，无需在此填写。",
    ]


def _header(rows: list[tuple]) -> dict[str, int]:
    if not rows:
        raise ValidationError("文件中没有数据：第一行应为表头（姓名、身份证号码、审验类型、级别、审验日期）。")
    header = {plain_text(name): index for index, name in enumerate(rows[0]) if plain_text(name)}
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(f"表头缺少列：{'、'.join(missing)}。请下载导入模板，按模板表头填写。")
    return header


def _day(value, where: str, today: date) -> date:
    if value in (None, ""):
        return today
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(plain_text(value))
    except ValueError:
        raise ValidationError(f"{where}“审验日期”列：“{plain_text(value)}”不是有效日期，应为 2026-09-01 格式。") from None


def _applicant(number: int, cells: dict, today: date) -> Applicant:
    where = f"第{number}行"
    name = plain_text(cells.get("姓名"))
    if not name:
        raise ValidationError(f"{where}“姓名”列：不能为空。")
    raw_id = cells.get("身份证号码")
    if isinstance(raw_id, float | int) and not isinstance(raw_id, bool):
        raise ValidationError(f"{where}“身份证号码”列：该单元格是数字格式，末几位可能已丢失，请将该列设为文本后重新填写。")
    id_number = normalise_id_number(plain_text(raw_id))
    try:
        parse_id_number(id_number)
    except ValueError as exc:
        raise ValidationError(f"{where}“身份证号码”列：{exc}") from None
    kind = KINDS.get(plain_text(cells.get("审验类型")))
    if kind is None:
        raise ValidationError(f"{where}“审验类型”列：应为 {'、'.join(KINDS)} 之一。")
    level = _level(kind, plain_text(cells.get("级别")), where)
    region = plain_text(cells.get("审验地区代码")) or None
    if region is not None and not (len(region) == 6 and region.isdigit()):
        raise ValidationError(f"{where}“审验地区代码”列：应为6位行政区划代码，如 152500。")
    return Applicant(number, name, id_number, kind, level, _day(cells.get("审验日期"), where, today), region)


def _level(kind: str, text: str, where: str) -> str | None:
    if not LEVELS[kind]:
        if text:
            raise ValidationError(f"{where}“级别”列：{KIND_LABELS[kind]}不分级别，请留空。")
        return None
    level = LEVEL_NAMES.get(text)
    if level not in LEVELS[kind]:
        allowed = "、".join(LEVEL_LABELS[c] for c in LEVELS[kind])
        raise ValidationError(f"{where}“级别”列：{KIND_LABELS[kind]}的级别应为 {allowed} 之一。")
    return level


def read_applicants(file, *, today: date) -> list[Applicant]:
    """Every row, or ValidationError listing each bad row and column."""
    workbook = open_uploaded_workbook(file, LIMITS)
    try:
        rows = [row for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    header = _header(rows)
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(plain_text(v) for v in row)]
    if not body:
        raise ValidationError("表中没有申报人员：请从第二行起每行填写一人。")
    if len(body) > MAX_ROWS:
        raise ValidationError(f"申报人员超过 {MAX_ROWS} 人，请拆分后分批审验。")
    found, errors = [], []
    for number, row in body:
        cells = {name: row[i] if i < len(row) else None for name, i in header.items()}
        try:
            found.append(_applicant(number, cells, today))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return found


def _unknown_input(applicant: Applicant) -> PersonInput:
    birth, sex = parse_id_number(applicant.id_number)
    return PersonInput(key=f"row-{applicant.row}", birth_date=birth, sex=sex)


def _result(applicant: Applicant, person: Person | None, policy, judged) -> dict:
    verdict = judged.verdict
    row = {**asdict(applicant), "day": applicant.day.isoformat(), "person_id": person.pk if person else None,
           "known": person is not None, "name_differs": bool(person and person.name != applicant.name),
           "what": review_label(applicant.kind, applicant.level),
           "rules": policy.code if policy else "", "notice": str(policy.notice or "") if policy else "",
           "error": judged.error if judged else ""}
    if verdict is None:
        return {**row, "eligible": None, "required_years": [], "years": {}, "applied": [], "reasons": []}
    data = verdict.as_dict()
    return {**row, **{k: data[k] for k in ("eligible", "required_years", "years", "applied", "reasons")}}


def _review(applicant: Applicant, person: Person | None) -> Review:
    """The applicant's review: the region the sheet names, else the rules of the employer's division."""
    region = applicant.region or (person_region(person) if person is not None else None)
    return Review(kind=applicant.kind, level=applicant.level, date=applicant.day, region=region)


def _policies(reviews) -> dict[Review, object]:
    found = {}
    for review in reviews:
        if review not in found:
            try:
                found[review] = ledger_source.review_policy(review)
            except EligibilityInputError as exc:
                found[review] = exc
    return found


def batch_evaluate(*, applicants: list[Applicant], persons_qs) -> list[dict]:
    """One rule-set lookup per distinct review, one person query, one ledger aggregate per review."""
    persons = {p.id_number: p for p in persons_qs.filter(id_number__in=[a.id_number for a in applicants])
               .select_related("employer_organisation__division")}
    reviews = {a.row: _review(a, persons.get(a.id_number)) for a in applicants}
    policies, results = _policies(reviews.values()), {}
    for review, policy in policies.items():
        group = [a for a in applicants if reviews[a.row] == review]
        if isinstance(policy, EligibilityInputError):
            failed = ledger_source.LedgerVerdict(None, None, policy.message)
            results.update({a.row: _result(a, persons.get(a.id_number), None, failed) for a in group})
            continue
        known = [persons[a.id_number] for a in group if a.id_number in persons]
        conversions = policy["eligibility"]["conversions"]
        inputs = ledger_source.inputs_for(persons=known, review=review, conversions=conversions)
        for a in group:
            person = persons.get(a.id_number)
            person_in = inputs[person.pk] if person else _unknown_input(a)
            results[a.row] = _result(a, person, policy, ledger_source.judge(person_in, review, policy, pid=person.pk if person else None))
    return [results[a.row] for a in applicants]


def verdict_text(row: dict) -> str:
    if row["eligible"] is None:
        return f"无法审验：{row['error']}"
    return "符合要求" if row["eligible"] else "不符合要求"


def years_text(row: dict) -> str:
    return "；".join(
        f"{y}年 公需{t['public']}/专业{t['professional']}" + ("（已完成）" if t["complete"] else
        f"（差公需{t['public_missing']}、专业{t['professional_missing']}）")
        for y, t in row["years"].items()
    )


def result_bytes(rows: list[dict], *, masked: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "审验结果"
    write_row(ws, 1, RESULT_COLUMNS, font=BOLD)
    for index, row in enumerate(rows, start=1):
        write_row(ws, index + 1, (
            index, row["name"], mask_id_number(row["id_number"]) if masked else row["id_number"],
            KIND_LABELS[row["kind"]], LEVEL_LABELS.get(row["level"], "—"), row["day"], row["notice"],
            "是" if row["known"] else "否（按无学时审验）", verdict_text(row),
            "、".join(map(str, row["required_years"])) or "无", years_text(row),
            "；".join(APPLIED_LABELS.get(code, code) for code in row["applied"]), "\n".join(row["reasons"]),
        ))
    for column, width in zip("ABCDEFGHIJKLM", (6, 10, 22, 10, 12, 12, 40, 12, 12, 16, 40, 24, 60), strict=True):
        ws.column_dimensions[column].width = width
    return workbook_bytes(wb)


def batch_result_store(*, user, rows: list[dict], now=None):
    """Keep the user's last verdicts for download (replacing the previous batch); never in the session."""
    from django.utils import timezone

    from rules.models import EligibilityBatchResult

    result, _ = EligibilityBatchResult.objects.update_or_create(
        user=user, defaults={"rows": rows, "created_at": now or timezone.now()})
    return result


def batch_result_rows(user) -> list[dict]:
    from rules.models import EligibilityBatchResult

    result = EligibilityBatchResult.objects.filter(user=user).first()
    return result.rows if result else []

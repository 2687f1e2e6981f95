"""学时审验批量服务: validate a batch (the contract's JSON shape) and give each person a verdict.

The rule set is fetched once per batch with `policy_for`, and the review prepared once (PreparedReview);
the engine then runs without the database.
"""

from __future__ import annotations

from datetime import date

from jurisdiction.models import Division
from rules.engine import EligibilityInputError, Flag, PersonInput, Record, Review
from rules.engine.prepared import PreparedReview
from rules.engine.types import FLAG_LABELS, KIND_LABELS, SUBJECTS
from rules.idnumber import parse_id_number
from rules.selectors import NoRuleSetInForce, policy_for

LEVELS = {
    "title_review": ("senior", "intermediate", "junior"),
    "post_appointment": ("grade_10_up", "grade_11_down"),
    "recognition": ("college", "bachelor", "master", "doctor"),
    "annual_appraisal": (),  # no level: omitted or null
    "commendation": (),
}
SOURCES = (
    "training", "staff_training", "industry_training", "seminar", "skills_training", "teacher_training",
    "qualification_exam", "research_project", "degree_course", "title_exam",
)
SEXES = ("M", "F")


def eligibility_check(*, payload: dict) -> dict:
    """The contract's answer for one batch, or EligibilityInputError naming person and field."""
    if not isinstance(payload, dict):
        raise EligibilityInputError("输入", "(根)", "应为包含 review 和 persons 的 JSON 对象。")
    review = parse_review(payload.get("review"))
    division = _division_of(review)
    policy = review_policy(review, division=division)
    persons = _get(payload, "persons", "输入", list, "应为人员列表。")
    parsed = [parse_person(raw, index, policy["eligibility"]["conversions"]) for index, raw in enumerate(persons)]
    _check_unique_keys(parsed)
    prepared = PreparedReview(review=review, params=policy.params, rules_code=policy.code, notice=policy.notice)
    results = [prepared.evaluate(p) for p in parsed]
    echo = {"kind": review.kind, "level": review.level, "date": review.date.isoformat(),
            "region": review.region or division.code, "rules": policy.code}
    return {"review": echo, "results": [verdict.as_dict() for verdict in results]}


def root_division() -> Division:
    """The autonomous region: the default `review.region` is the top of the tree, not a literal code."""
    return Division.objects.get(parent=None)


def review_division(code: str | None) -> Division | None:
    """The division whose rules apply to a region code: the code's league when the code is not in
    the tree or sits outside its league's subtree (二连浩特市 152501: "codes beginning 1525" are
    Xilingol's in the contract), else the division itself."""
    if code is None:
        return root_division()
    found = {d.code: d for d in Division.objects.filter(code__in=[code, code[:4] + "00"])}
    division, league = found.get(code), found.get(code[:4] + "00")
    if league is not None and (division is None or not league.contains(division)):
        return league
    return division


def _division_of(review: Review) -> Division:
    division = review_division(review.region)
    if division is None:
        raise EligibilityInputError("review", "region", f"区划代码 {review.region} 不存在。")
    return division


def review_policy(review: Review, *, division: Division | None = None):
    division = division or _division_of(review)
    try:
        policy = policy_for(division=division, on=review.date)
    except NoRuleSetInForce as exc:
        raise EligibilityInputError("review", "date", str(exc)) from None
    if "eligibility" not in policy.params:
        raise EligibilityInputError("review", "date", f"规则集 {policy.code} 未规定学时审验参数。")
    return policy


def _get(raw: dict, name: str, key: str, kind, message: str, *, required: bool = True, prefix: str = ""):
    value = raw.get(name)
    if value is None and not required:
        return None
    if value is None:
        raise EligibilityInputError(key, prefix + name, "缺少此字段。")
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise EligibilityInputError(key, prefix + name, message)
    if not isinstance(value, kind):
        raise EligibilityInputError(key, prefix + name, message)
    return value


def _choice(raw: dict, name: str, key: str, choices, *, prefix: str = "") -> str:
    value = _get(raw, name, key, str, "应为文本。", prefix=prefix)
    if value not in choices:
        raise EligibilityInputError(key, prefix + name, f"未知代码“{value}”，可选：{'、'.join(choices)}。")
    return value


def _date(raw: dict, name: str, key: str, *, required: bool = True) -> date | None:
    value = _get(raw, name, key, str, "应为 YYYY-MM-DD 格式的日期。", required=required)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise EligibilityInputError(key, name, f"日期“{value}”无效，应为 YYYY-MM-DD。") from None


def parse_review(raw) -> Review:
    if not isinstance(raw, dict):
        raise EligibilityInputError("review", "review", "缺少审验参数（kind、level、date）。")
    kind = _choice(raw, "kind", "review", tuple(KIND_LABELS))
    if LEVELS[kind]:
        level = _choice(raw, "level", "review", LEVELS[kind])
    elif raw.get("level") in (None, ""):
        level = None
    else:
        raise EligibilityInputError("review", "level", f"{KIND_LABELS[kind]}不分级别，level 应省略或为 null。")
    day = _date(raw, "date", "review")
    region = raw.get("region") or None
    if region is not None and (not isinstance(region, str) or not (len(region) == 6 and region.isdigit())):
        raise EligibilityInputError("review", "region", "应为6位行政区划代码。")
    return Review(kind=kind, level=level, date=day, region=region)


def parse_person(raw, index: int, conversions: dict) -> PersonInput:
    label = f"persons[{index}]"
    if not isinstance(raw, dict):
        raise EligibilityInputError(label, label, "应为 JSON 对象。")
    key = raw.get("key")
    if not isinstance(key, str | int) or isinstance(key, bool) or str(key).strip() == "":
        raise EligibilityInputError(label, "key", "缺少人员编号 key。")
    key = str(key)
    birth, sex = _identity(raw, key)
    flags = tuple(_flag(item, i, key) for i, item in enumerate(_list(raw, "flags", key)))
    post_start = _get(raw, "post_start_year", key, int, "应为年份（整数）。", required=False)
    records = tuple(_record(item, i, key, conversions) for i, item in enumerate(_list(raw, "records", key)))
    return PersonInput(key=key, birth_date=birth, sex=sex, flags=flags, post_start_year=post_start, records=records)


def _list(raw: dict, name: str, key: str) -> list:
    value = raw.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise EligibilityInputError(key, name, "应为列表。")
    return value


def _identity(raw: dict, key: str) -> tuple[date, str]:
    """Birth date and sex from id_number, birth_date/sex, or both when they agree."""
    birth = _date(raw, "birth_date", key, required=False)
    sex = raw.get("sex")
    if sex is not None and sex not in SEXES:
        raise EligibilityInputError(key, "sex", f"性别应为 M 或 F，现为“{sex}”。")
    if raw.get("id_number") in (None, ""):
        if birth is None or sex is None:
            missing = "birth_date" if birth is None else "sex"
            raise EligibilityInputError(key, missing, "未提供身份证号码时，须填写出生日期和性别。")
        return birth, sex
    try:
        id_birth, id_sex = parse_id_number(raw["id_number"])
    except ValueError as exc:
        raise EligibilityInputError(key, "id_number", str(exc)) from None
    if birth is not None and birth != id_birth:
        raise EligibilityInputError(key, "birth_date", f"出生日期与身份证号码（{id_birth:%Y-%m-%d}）不一致。")
    if sex is not None and sex != id_sex:
        raise EligibilityInputError(key, "sex", f"性别与身份证号码（{id_sex}）不一致。")
    return id_birth, id_sex


def _flag(raw, index: int, key: str) -> Flag:
    prefix = f"flags[{index}]."
    if not isinstance(raw, dict):
        raise EligibilityInputError(key, f"flags[{index}]", "应为 {\"code\": …} 对象。")
    code = _choice(raw, "code", key, tuple(FLAG_LABELS), prefix=prefix)
    year = _get(raw, "year", key, int, "应为年份（整数）。", required=False, prefix=prefix)
    return Flag(code=code, year=year)


def _record(raw, index: int, key: str, conversions: dict) -> Record:
    prefix = f"records[{index}]."
    if not isinstance(raw, dict):
        raise EligibilityInputError(key, f"records[{index}]", "应为 JSON 对象。")
    year = _get(raw, "year", key, int, "应为年份（整数）。", prefix=prefix)
    subject = _choice(raw, "subject", key, SUBJECTS, prefix=prefix)
    source = _choice(raw, "source", key, SOURCES, prefix=prefix)
    if subject == "public" and source in conversions["professional_only_sources"]:
        raise EligibilityInputError(key, prefix + "subject", f"来源“{source}”只能计入专业科目（professional）。")
    hours = _amount(raw, "hours", key, prefix)
    minutes = _amount(raw, "minutes", key, prefix)
    if hours is not None and minutes is not None:
        raise EligibilityInputError(key, prefix + "hours", "hours 和 minutes 只能填写其一。")
    no_hours = (source in conversions["whole_year_sources"] or source in conversions["fixed_professional_hours"]
                or source in conversions.get("uncounted_sources", ()))
    if hours is None and minutes is None and not no_hours:
        raise EligibilityInputError(key, prefix + "hours", "缺少学时：须填写 hours 或 minutes。")
    return Record(year=year, subject=subject, source=source, hours=hours, minutes=minutes)


def _amount(raw: dict, name: str, key: str, prefix: str) -> int | None:
    value = _get(raw, name, key, int, "应为非负整数。", required=False, prefix=prefix)
    if value is not None and value < 0:
        raise EligibilityInputError(key, prefix + name, "应为非负整数。")
    return value


def _check_unique_keys(persons: list[PersonInput]) -> None:
    seen: set[str] = set()
    for person in persons:
        if person.key in seen:
            raise EligibilityInputError(person.key, "key", "人员编号重复。")
        seen.add(person.key)


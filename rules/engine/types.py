"""Input, output and counting for the eligibility engine (no policy numbers here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

SUBJECTS = ("public", "professional")
SUBJECT_LABELS = {"public": "公需科目", "professional": "专业科目"}
KIND_LABELS = {
    "title_review": "职称评审", "post_appointment": "专技岗位聘任", "recognition": "考核认定",
    "annual_appraisal": "年度考核评优", "commendation": "事业单位奖励（嘉奖及以上）",
}
ANY_LEVEL = "*"  # the window key of review kinds that have no level (annual appraisal, commendation)
LEVEL_LABELS = {
    "senior": "高级", "intermediate": "中级", "junior": "初级",
    "grade_10_up": "10级及以上", "grade_11_down": "11级及以下",
    "college": "专科", "bachelor": "本科", "master": "硕士", "doctor": "博士",
}
SEX_LABELS = {"M": "男", "F": "女"}
FLAG_LABELS = {
    "non_public": "非公有制经济领域", "grassroots": "苏木乡镇等基层一线", "postdoc_retained": "出站博士后留区工作",
    "epidemic_frontline": "疫情防控一线医疗卫生人员", "transferred_from_organ": "从党政机关转任",
    "exceptional_promotion": "破格申报", "left_to_start_business": "经批准离岗创业",
    "unit_plan_filed": "所属单位专业科目培训方案已备案",
}
SOURCE_LABELS = {
    "qualification_exam": "职业资格考试合格", "research_project": "课题项目结题", "degree_course": "学历教育课程通过",
    "title_exam": "职称外语、计算机考试合格",
}


@dataclass(frozen=True)
class Notice:
    """The notice a rule set comes from, as users see it cited."""

    title: str
    number: str = ""  # the document number, only where the notice carries one
    issuer: str = ""

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title

    @property
    def cited(self) -> str:
        return f"《{self.title}》（{self.number}）" if self.number else f"《{self.title}》"


class EligibilityInputError(ValueError):
    """Malformed input: names the person (or "review") and the field."""

    def __init__(self, key: str, field_name: str, message: str):
        self.key, self.field_name, self.message = key, field_name, message
        super().__init__(f"{key}：字段 {field_name}：{message}")


@dataclass(frozen=True)
class Review:
    kind: str
    level: str | None
    date: date
    region: str | None = None  # None: the root of the jurisdiction tree (the autonomous region)

    @property
    def year(self) -> int:
        return self.date.year


@dataclass(frozen=True)
class Record:
    year: int
    subject: str
    source: str
    hours: int | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class Flag:
    code: str
    year: int | None = None


@dataclass(frozen=True)
class PersonInput:
    key: str
    birth_date: date
    sex: str
    flags: tuple[Flag, ...] = ()
    post_start_year: int | None = None
    records: tuple[Record, ...] = ()


@dataclass(frozen=True)
class YearTally:
    public: int
    professional: int
    complete: bool
    public_missing: int
    professional_missing: int
    whole_year_sources: tuple[str, ...] = ()  # conversions that filled this year's professional requirement

    @classmethod
    def direct(cls, public: int, professional: int, complete: bool, public_missing: int, professional_missing: int,
               whole_year_sources: tuple[str, ...] = ()) -> YearTally:
        """The same tally as the constructor's, its fields stored straight into the instance: a frozen
        dataclass pays a generic __setattr__ per field, half the cost of a tally on the fast verdict path."""
        tally = object.__new__(cls)
        tally.__dict__.update(public=public, professional=professional, complete=complete,
                              public_missing=public_missing, professional_missing=professional_missing,
                              whole_year_sources=whole_year_sources)
        return tally

    def as_dict(self) -> dict:
        return {
            "public": self.public, "professional": self.professional, "complete": self.complete,
            "public_missing": self.public_missing, "professional_missing": self.professional_missing,
        }


@dataclass(frozen=True)
class Verdict:
    key: str
    eligible: bool
    required_years: list[int]
    years: dict[int, YearTally]
    applied: list[str]
    reasons: list[str]

    notice: str = ""  # the notice the verdict rests on: title, and document number where it has one

    @classmethod
    def direct(cls, key: str, eligible: bool, required_years: list[int], years: dict[int, YearTally],
               applied: list[str], reasons: list[str], notice: str = "") -> Verdict:
        """The same verdict as the constructor's, built as `YearTally.direct` is (for the fast verdict path)."""
        verdict = object.__new__(cls)
        verdict.__dict__.update(key=key, eligible=eligible, required_years=required_years, years=years,
                                applied=applied, reasons=reasons, notice=notice)
        return verdict

    def as_dict(self) -> dict:
        found = {
            "key": self.key, "eligible": self.eligible, "required_years": self.required_years,
            "years": {str(y): t.as_dict() for y, t in sorted(self.years.items())},
            "applied": self.applied, "reasons": self.reasons,
        }
        if self.notice:
            found["notice"] = self.notice
        return found


@dataclass
class Case:
    """The verdict being built for one person."""

    review: Review
    person: PersonInput
    elig: dict
    annual: dict
    rules_code: str
    window: list[int]
    required: list[int]
    notice: Notice | None = None
    applied: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def cited(self) -> str:
        """How reasons name the rules: the notice in book-title marks, or the rule set's code."""
        return self.notice.cited if self.notice else f"规则集 {self.rules_code} "

    def apply(self, code: str, reason: str) -> None:
        if code not in self.applied:
            self.applied.append(code)
        self.reasons.append(reason)


def window_spec(review: Review, elig: dict, rules_code: str) -> dict:
    """`rules_code` names the rules in a message: the notice's citation where the caller has it."""
    by_level = elig["windows"].get(review.kind)
    if by_level is None:
        raise EligibilityInputError("review", "kind", f"{rules_code}未规定{KIND_LABELS[review.kind]}的学时要求。")
    if ANY_LEVEL in by_level:
        if review.level is not None:
            raise EligibilityInputError("review", "level", f"{KIND_LABELS[review.kind]}不分级别，level 应省略或为 null。")
        return by_level[ANY_LEVEL]
    if review.level not in by_level:
        raise EligibilityInputError(
            "review", "level", f"{KIND_LABELS[review.kind]}不接受级别“{review.level}”，可选：{'、'.join(by_level)}。"
        )
    return by_level[review.level]


def window_years(review_year: int, spec: dict) -> list[int]:
    last = review_year - spec["offset"]
    return list(range(last - spec["years"] + 1, last + 1))


def age_on(birth: date, day: date) -> int:
    """Full years on `day`: the birthday itself counts (满N周岁 on the Nth birthday)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def record_hours(record: Record, minutes_per_hour: int) -> int:
    if record.hours is not None:
        return record.hours
    return (record.minutes or 0) // minutes_per_hour


def count_hours(records: tuple[Record, ...], conversions: dict) -> dict[int, dict]:
    """Hours per year and subject after conversion, and the whole-year sources seen."""
    per_year: dict[int, dict] = defaultdict(
        lambda: {"public": 0, "professional": 0, "whole": [], "fixed": [], "uncounted": []})
    uncounted = conversions.get("uncounted_sources", ())
    for record in records:
        bucket = per_year[record.year]
        if record.source in uncounted:
            bucket["uncounted"].append(record.source)
        elif record.source in conversions["whole_year_sources"]:
            bucket["whole"].append(record.source)
        elif record.source in conversions["fixed_professional_hours"]:
            bucket["professional"] += conversions["fixed_professional_hours"][record.source]
            bucket["fixed"].append(record.source)
        else:
            bucket[record.subject] += record_hours(record, conversions["minutes_per_hour"])
    return per_year


def year_tally(counts: dict | None, need: dict) -> YearTally:
    counts = counts or {"public": 0, "professional": 0, "whole": [], "fixed": [], "uncounted": []}
    public, professional = counts["public"], counts["professional"]
    used: tuple[str, ...] = ()
    if counts["whole"] and professional < need["professional"]:
        professional, used = need["professional"], tuple(dict.fromkeys(counts["whole"]))
    public_missing = max(0, need["public"] - public)
    professional_missing = max(0, need["professional"] - professional)
    return YearTally(
        public, professional, public_missing == 0 and professional_missing == 0,
        public_missing, professional_missing, used,
    )


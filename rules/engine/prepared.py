"""A review prepared once per batch, and a fast path for the common person.

Everything a verdict takes from the review and the rule set alone (the window, the need, the cited
notice and the lines that only name them) is worked out once in `PreparedReview`. A person with no
flags whose records are all ordinary hours (no whole-year, fixed or uncounted source) then gets the
verdict `evaluate` would give, built straight from the hours of the window years; anyone else, and
every person when the review itself is one the engine refuses, goes through `evaluate` unchanged.
Nothing is shared between persons except immutable review-level text and numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rules.engine.evaluate import (
    _kinds_text,
    _need,
    _total_line,
    _what,
    _window_line,
    _years_text,
    evaluate,
)
from rules.engine.types import (
    SEX_LABELS,
    Case,
    Notice,
    PersonInput,
    Review,
    Verdict,
    YearTally,
    record_hours,
    window_spec,
    window_years,
)

NOTHING_REQUIRED = "没有需要完成继续教育学时的年度。"
SUBJECT_SLOT = {"public": 0, "professional": 1}  # hours come in pairs per window year, public first


class PreparedReview:
    """One review under one rule set; `evaluate(person)` answers exactly as `rules.engine.evaluate`."""

    def __init__(self, *, review: Review, params: dict, rules_code: str, notice: Notice | None = None):
        self.review, self.params, self.rules_code, self.notice = review, params, rules_code, notice
        self.fast = False
        try:
            self._prepare()
        except Exception:  # noqa: BLE001 - whatever the review or params lack, `evaluate` reports per person
            self.fast = False

    def _prepare(self) -> None:
        review, elig, notice = self.review, self.params["eligibility"], self.notice
        spec = window_spec(review, elig, notice.cited if notice else f"规则集 {self.rules_code} ")
        self.window = window_years(review.year, spec)
        case = Case(review, PersonInput("", review.date, "M"), elig, self.params["annual"], self.rules_code,
                    self.window, list(self.window), notice)
        self.notice_text = str(notice or "")
        self.unregulated_line = None
        if spec.get("unregulated"):
            self.unregulated_line = f"依据{case.cited}，没有生效的通知对{_what(case)}规定继续教育学时要求。"
            self.fast = True
            return
        conversions = elig["conversions"]
        self.special = (frozenset(conversions["whole_year_sources"]) | frozenset(conversions["fixed_professional_hours"])
                        | frozenset(conversions.get("uncounted_sources", ())))
        self.minutes_per_hour = conversions["minutes_per_hour"]
        self.window_line = _window_line(case)
        self._prepare_age(case, elig["age"])
        need = _need(case)
        self.need_public, self.need_professional = need["public"], need["professional"]
        self.years_text = _years_text(self.window)
        self.complete_line = f"{self.years_text}公需科目和专业科目学时均已完成。"
        self.slots = tuple((year, 2 * i) for i, year in enumerate(self.window))
        self.attendance = elig["model"] == "attendance_total"
        self.fraction = None
        if self.age_applies and elig["age"]["partial_rule"] == "one_third_hours":
            self.fraction = self._fraction_terms(case, spec)
        if self.attendance:
            self.total_needed = spec["total_hours"]
        self.one_year_lines = {y: f"{y}年度学时已完成，满足一个年度的要求。" for y in self.window}
        self.fast = True

    def _prepare_age(self, case: Case, rule: dict) -> None:
        self.age_applies = self.review.kind in rule["kinds"]
        self.full_age, self.partial_age = dict(rule["full"]), dict(rule["partial"])
        self.sexes = frozenset(self.full_age) & frozenset(self.partial_age) & frozenset(SEX_LABELS)
        self.age_elsewhere_line = (f"年龄减免：通知规定只适用于{_kinds_text(rule['kinds'])}，"
                                   f"不适用于本次{_what(case)}。")
        if self.age_applies:
            if rule["partial_rule"] == "one_complete_year":
                text = "完成要求年度中一个年度的学时即可"
            else:
                num, den = rule["partial_fraction"]
                text = f"完成规定学时的{num}/{den}即可"
            self.partial_tail = f"，{text}。"
        self.day_text = f"{self.review.date:%Y-%m-%d}"
        self._age_lines: dict = {}  # (sex, age, full) -> the line `_age_line` builds

    def _fraction_terms(self, case: Case, spec: dict) -> tuple[int, str]:
        num, den = case.elig["age"]["partial_fraction"]
        required_hours = spec["total_hours"] if self.attendance else case.annual["total"] * len(self.window)
        return -(-required_hours * num // den), f"规定学时{required_hours}的{num}/{den}为"

    def _age_line(self, sex: str, age: int, *, full: bool) -> str:
        """The line of the full or the partial age reduction (review-level text, one per sex and age)."""
        line = self._age_lines.get((sex, age, full))
        if line is None:
            threshold, tail = (self.full_age[sex], "，继续教育学时不作为限制性条件。") if full else (
                self.partial_age[sex], self.partial_tail)
            line = self._age_lines[(sex, age, full)] = (
                f"{SEX_LABELS[sex]}满{threshold}周岁（{self.day_text}时{age}周岁）{tail}")
        return line

    # --- the general path and the choice between the two -------------------------------------------

    def evaluate(self, person: PersonInput) -> Verdict:
        if not person.flags and self.plain(person.sex):
            hours = self.window_hours(person.records)
            if hours is not None:
                return self.evaluate_hours(person.key, person.birth_date, person.sex, hours)
        return evaluate(review=self.review, person=person, params=self.params, rules_code=self.rules_code,
                        notice=self.notice)

    def window_hours(self, records: Sequence) -> list[int] | None:
        """Public and professional hours of each window year, in pairs; None when a record has a special source."""
        if self.unregulated_line is not None:
            return []
        slots = {year: 2 * i for i, year in enumerate(self.window)}
        hours = [0] * (2 * len(self.window))
        for record in records:
            if record.source in self.special or record.subject not in SUBJECT_SLOT:
                return None  # `count_hours` tells these apart (or refuses an unknown subject): let it
            counted = record_hours(record, self.minutes_per_hour)
            slot = slots.get(record.year)
            if slot is not None:
                hours[slot + SUBJECT_SLOT[record.subject]] += counted
        return hours

    def plain(self, sex: str) -> bool:
        """Whether a person of this sex with no flags and only ordinary hours may take `evaluate_hours`."""
        return self.fast and (self.unregulated_line is not None or sex in self.sexes)

    # --- the fast path --------------------------------------------------------------------------------

    def evaluate_hours(self, key: str, birth_date: date, sex: str, hours: Sequence[int]) -> Verdict:
        """The verdict of a person with no flags whose records are all ordinary hours (`plain(sex)`).

        `hours`: public then professional hours of each window year (`self.window`), in window order.
        """
        if self.unregulated_line is not None:
            return Verdict.direct(key, True, [], {}, [], [self.unregulated_line], self.notice_text)
        day = self.review.date
        age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
        reasons, partial = [self.window_line], False
        if not self.age_applies:
            if age >= self.partial_age[sex]:
                reasons.append(self.age_elsewhere_line)
        elif age >= self.full_age[sex]:
            reasons.append(self._age_line(sex, age, full=True))
            return Verdict.direct(key, True, [], {}, ["age_full"], reasons, self.notice_text)
        elif age >= self.partial_age[sex]:
            partial = True
            reasons.append(self._age_line(sex, age, full=False))
        tallies, incomplete = self._tallies(hours)
        eligible = self._judge(reasons, tallies, incomplete, partial)
        return Verdict.direct(key, eligible, list(self.window), tallies, ["age_partial"] if partial else [], reasons,
                       self.notice_text)

    def _tallies(self, hours: Sequence[int]) -> tuple[dict[int, YearTally], list[int]]:
        """The window's tallies, and its incomplete years."""
        need_public, need_professional, tallies, incomplete = self.need_public, self.need_professional, {}, []
        for year, at in self.slots:
            public, professional = hours[at], hours[at + 1]
            public_missing = need_public - public if public < need_public else 0
            professional_missing = need_professional - professional if professional < need_professional else 0
            complete = not (public_missing or professional_missing)
            tallies[year] = YearTally.direct(public, professional, complete, public_missing, professional_missing, ())
            if not complete:
                incomplete.append(year)
        return tallies, incomplete

    def _judge(self, reasons: list[str], tallies: dict[int, YearTally], incomplete: list[int], partial: bool) -> bool:
        if not self.window:
            reasons.append(NOTHING_REQUIRED)
            return True
        if partial and self.fraction is not None:
            needed, what = self.fraction
            total = sum(t.public + t.professional for t in tallies.values())
            reasons.append(f"{self.years_text}{_total_line(total, needed, what)}")
            return total >= needed
        if self.attendance:
            return self._judge_attendance(reasons, tallies)
        if partial:
            return self._judge_one_year(reasons, tallies)
        if not incomplete:
            reasons.append(self.complete_line)
            return True
        reasons.extend(shortfall(y, tallies[y]) for y in incomplete)
        return False

    def _judge_attendance(self, reasons: list[str], tallies: dict[int, YearTally]) -> bool:
        absent = False
        for y, t in tallies.items():
            if not t.complete:
                absent = True
                reasons.append(f"{y}年度未连续参加学习：公需科目{t.public}学时，专业科目{t.professional}学时。")
        total = sum(t.public + t.professional for t in tallies.values())
        reasons.append(f"{self.years_text}{_total_line(total, self.total_needed, '要求')}")
        return not absent and total >= self.total_needed

    def _judge_one_year(self, reasons: list[str], tallies: dict[int, YearTally]) -> bool:
        for y, t in tallies.items():
            if t.complete:
                reasons.append(self.one_year_lines[y])
                return True
        reasons.append(f"{self.years_text}中没有一个年度完成学时。")
        reasons.extend(shortfall(y, t) for y, t in tallies.items())
        return False



def shortfall(year: int, tally: YearTally) -> str:
    """The line `evaluate` writes for an incomplete year, without its generic attribute lookups."""
    if not tally.public_missing:
        return f"{year}年度未完成：专业科目{tally.professional}学时，差{tally.professional_missing}学时。"
    if not tally.professional_missing:
        return f"{year}年度未完成：公需科目{tally.public}学时，差{tally.public_missing}学时。"
    return (f"{year}年度未完成：公需科目{tally.public}学时，差{tally.public_missing}学时；"
            f"专业科目{tally.professional}学时，差{tally.professional_missing}学时。")

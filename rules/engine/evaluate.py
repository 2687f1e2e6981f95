"""The readings of the notices, applied in order: exemptions, reference-only flags, window
narrowing, the partial age reduction, then the set's model of a complete window."""

from __future__ import annotations

from rules.engine.types import (
    FLAG_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    SEX_LABELS,
    SOURCE_LABELS,
    Case,
    EligibilityInputError,
    Flag,
    Notice,
    PersonInput,
    Review,
    Verdict,
    YearTally,
    age_on,
    count_hours,
    window_spec,
    window_years,
    year_tally,
)


def evaluate(*, review: Review, person: PersonInput, params: dict, rules_code: str,
             notice: Notice | None = None) -> Verdict:
    """`notice` is what the reasons cite (title and document number); without it, `rules_code`."""
    elig = params["eligibility"]
    spec = window_spec(review, elig, notice.cited if notice else f"规则集 {rules_code} ")
    window = window_years(review.year, spec)
    case = Case(review, person, elig, params["annual"], rules_code, window, list(window), notice)
    if spec.get("unregulated"):
        case.required = []
        case.reasons.append(f"依据{case.cited}，没有生效的通知对{_what(case)}规定继续教育学时要求。")
        return _verdict(case, True, {})
    case.reasons.append(_window_line(case))
    flags = _flags_in_force(case)
    counts = count_hours(person.records, elig["conversions"])
    if _exempt(case, flags):
        case.required = []
        return _verdict(case, True, {})
    if _reference_only(case, flags):
        case.required = []
        return _verdict(case, True, _tallies(case, window, counts))
    _narrow(case, flags)
    _professional_met(case, flags, counts)
    partial = _age_partial(case)
    tallies = _tallies(case, case.required, counts)
    _note_conversions(case, tallies, counts)
    return _verdict(case, _judge(case, spec, tallies, partial), tallies)


def _verdict(case: Case, eligible: bool, tallies: dict[int, YearTally]) -> Verdict:
    return Verdict(case.person.key, eligible, list(case.required), tallies, case.applied, case.reasons,
                   str(case.notice or ""))


def _years_text(years: list[int]) -> str:
    return "、".join(f"{y}年" for y in years)


def _what(case: Case) -> str:
    kind = KIND_LABELS[case.review.kind]
    return f"{kind}（{LEVEL_LABELS[case.review.level]}）" if case.review.level else kind


def _kinds_text(kinds: list[str]) -> str:
    return "、".join(KIND_LABELS[k] for k in kinds)


def _window_line(case: Case) -> str:
    what = _what(case)
    if not case.window:
        return f"依据{case.cited}，{what}不要求继续教育学时。"
    return f"依据{case.cited}，{what}须完成{_years_text(case.window)}的继续教育学时。"


def _flags_in_force(case: Case) -> list[tuple[int, Flag, dict]]:
    in_force = []
    for index, flag in enumerate(case.person.flags):
        label, spec = FLAG_LABELS[flag.code], case.elig["flags"].get(flag.code)
        if spec is None:
            case.reasons.append(f"{label}：{case.cited}无此项学时减免，未予考虑。")
            continue
        if case.review.kind not in spec["kinds"]:
            case.reasons.append(f"{label}：通知规定此项只适用于{_kinds_text(spec['kinds'])}，不适用于本次{_what(case)}。")
            continue
        if case.review.level not in spec.get("levels", [case.review.level]):
            case.reasons.append(f"{label}：不适用于本次{_what(case)}。")
            continue
        _check_flag(case, index, flag, spec)
        in_force.append((index, flag, spec))
    return in_force


def _check_flag(case: Case, index: int, flag: Flag, spec: dict) -> None:
    key, label = case.person.key, FLAG_LABELS[flag.code]
    if spec["needs_year"] and flag.year is None:
        raise EligibilityInputError(key, f"flags[{index}].year", f"{label}须填写年份。")
    if spec["effect"] == "years_after" and flag.year > case.review.year:
        raise EligibilityInputError(key, f"flags[{index}].year", f"转任年份{flag.year}晚于审验年份{case.review.year}。")
    if spec["effect"] == "years_from_post_start":
        start = case.person.post_start_year
        if start is None:
            raise EligibilityInputError(key, "post_start_year", "破格申报须填写任职起始年份。")
        if start > case.review.year:
            raise EligibilityInputError(key, "post_start_year", f"任职起始年份{start}晚于审验年份{case.review.year}。")


def _age_line(case: Case, threshold: int, age: int) -> str:
    sex = SEX_LABELS[case.person.sex]
    return f"{sex}满{threshold}周岁（{case.review.date:%Y-%m-%d}时{age}周岁）"


def _exempt(case: Case, flags: list) -> bool:
    """Nothing required: full age, post-doctoral senior, epidemic (2022), transfer in the review year."""
    exempt = False
    age, rule = age_on(case.person.birth_date, case.review.date), case.elig["age"]
    full = rule["full"][case.person.sex]
    if case.review.kind not in rule["kinds"] and age >= rule["partial"][case.person.sex]:
        case.reasons.append(f"年龄减免：通知规定只适用于{_kinds_text(rule['kinds'])}，不适用于本次{_what(case)}。")
    if case.review.kind in rule["kinds"] and age >= full:
        case.apply("age_full", f"{_age_line(case, full, age)}，继续教育学时不作为限制性条件。")
        exempt = True
    for _index, flag, spec in flags:
        label = FLAG_LABELS[flag.code]
        if spec["effect"] == "none_required":
            case.apply(flag.code, f"{label}，不要求继续教育学时。")
        elif spec["effect"] == "years_after" and flag.year == case.review.year:
            case.apply(flag.code, f"{label}（{flag.year}年），当年参加评审，不要求继续教育学时。")
        else:
            continue
        exempt = True
    return exempt


def _reference_only(case: Case, flags: list) -> bool:
    found = False
    for _index, flag, spec in flags:
        if spec["effect"] == "reference_only":
            label = FLAG_LABELS[flag.code]
            case.apply(flag.code, f"{label}：继续教育学时不作为限制性条件，学习经历作为评审参考因素。")
            found = True
    return found


def _narrow(case: Case, flags: list) -> None:
    """Drop window years: the epidemic year (2024 on), years up to a transfer, years before the post."""
    for _index, flag, spec in flags:
        before, effect, label = list(case.required), spec["effect"], FLAG_LABELS[flag.code]
        if effect == "drop_year":
            case.required = [y for y in case.required if y != flag.year]
            reason = f"{label}：不要求{flag.year}年度的继续教育学时。"
        elif effect == "years_after":
            case.required = [y for y in case.required if y > flag.year]
            reason = f"{label}（{flag.year}年转任）：按转任实际年限，只要求转任后的年度。"
        elif effect == "years_from_post_start":
            start = case.person.post_start_year
            case.required = [y for y in case.required if y >= start]
            reason = f"{label}：按实际任职年限，只要求{start}年起的年度。"
        else:
            continue
        if case.required != before:
            case.apply(flag.code, reason)


def _professional_met(case: Case, flags: list, counts: dict) -> None:
    """A flag that meets its year's professional requirement (Xilingol 2024: the unit's plan was filed)."""
    for _index, flag, spec in flags:
        if spec["effect"] == "professional_met" and flag.year in case.required:
            counts[flag.year]["whole"].append(flag.code)


def _age_partial(case: Case) -> bool:
    age, rule = age_on(case.person.birth_date, case.review.date), case.elig["age"]
    threshold = rule["partial"][case.person.sex]
    if case.review.kind not in rule["kinds"] or age < threshold:
        return False
    if rule["partial_rule"] == "one_complete_year":
        text = "完成要求年度中一个年度的学时即可"
    else:
        num, den = rule["partial_fraction"]
        text = f"完成规定学时的{num}/{den}即可"
    case.apply("age_partial", f"{_age_line(case, threshold, age)}，{text}。")
    return True


def _need(case: Case) -> dict:
    if case.elig["model"] == "attendance_total":
        return case.elig["attendance_hours"]
    return {"public": case.annual["public"], "professional": case.annual["professional"]}


def _tallies(case: Case, years: list[int], counts: dict) -> dict[int, YearTally]:
    need = _need(case)
    return {year: year_tally(counts.get(year), need) for year in years}


def _note_conversions(case: Case, tallies: dict[int, YearTally], counts: dict) -> None:
    fixed = case.elig["conversions"]["fixed_professional_hours"]
    labels = {**SOURCE_LABELS, **FLAG_LABELS}
    for year, tally in tallies.items():
        for source in tally.whole_year_sources:
            case.apply(source, f"{year}年度{labels[source]}，视同完成当年度专业科目学时要求。")
        for source in dict.fromkeys(counts.get(year, {}).get("fixed", [])):
            case.apply(source, f"{year}年度{SOURCE_LABELS[source]}，折合专业科目{fixed[source]}学时。")
        for source in dict.fromkeys(counts.get(year, {}).get("uncounted", [])):
            case.reasons.append(f"{year}年度{SOURCE_LABELS[source]}：{case.cited}未规定折合学时，不计入。")


def _judge(case: Case, spec: dict, tallies: dict[int, YearTally], partial: bool) -> bool:
    if not case.required:
        case.reasons.append("没有需要完成继续教育学时的年度。")
        return True
    if partial and case.elig["age"]["partial_rule"] == "one_third_hours":
        return _judge_fraction(case, spec, tallies)
    if case.elig["model"] == "attendance_total":
        return _judge_attendance(case, spec, tallies)
    if partial:
        return _judge_one_year(case, tallies)
    return _judge_all_years(case, tallies)


def _shortfall(year: int, tally: YearTally) -> str:
    parts = [
        f"{label}{getattr(tally, subject)}学时，差{getattr(tally, subject + '_missing')}学时"
        for subject, label in (("public", "公需科目"), ("professional", "专业科目"))
        if getattr(tally, subject + "_missing")
    ]
    return f"{year}年度未完成：{'；'.join(parts)}。"


def _judge_all_years(case: Case, tallies: dict[int, YearTally]) -> bool:
    missing = [y for y in case.required if not tallies[y].complete]
    case.reasons.extend(_shortfall(y, tallies[y]) for y in missing)
    if not missing:
        case.reasons.append(f"{_years_text(case.required)}公需科目和专业科目学时均已完成。")
    return not missing


def _judge_one_year(case: Case, tallies: dict[int, YearTally]) -> bool:
    done = [y for y in case.required if tallies[y].complete]
    if done:
        case.reasons.append(f"{done[0]}年度学时已完成，满足一个年度的要求。")
        return True
    case.reasons.append(f"{_years_text(case.required)}中没有一个年度完成学时。")
    case.reasons.extend(_shortfall(y, tallies[y]) for y in case.required)
    return False


def _total_line(total: int, needed: int, what: str) -> str:
    tail = "已达到。" if total >= needed else f"差{needed - total}学时。"
    return f"合计{total}学时，{what}{needed}学时，{tail}"


def _judge_fraction(case: Case, spec: dict, tallies: dict[int, YearTally]) -> bool:
    num, den = case.elig["age"]["partial_fraction"]
    if case.elig["model"] == "attendance_total":
        required_hours = spec["total_hours"]
    else:
        required_hours = case.annual["total"] * len(case.required)
    needed = -(-required_hours * num // den)  # rounded up: 1/3 of 170 is 56.67, so 57
    total = sum(tallies[y].public + tallies[y].professional for y in case.required)
    what = f"规定学时{required_hours}的{num}/{den}为"
    case.reasons.append(f"{_years_text(case.required)}{_total_line(total, needed, what)}")
    return total >= needed


def _judge_attendance(case: Case, spec: dict, tallies: dict[int, YearTally]) -> bool:
    """2017: each year attended in both subjects, and the window's total reached."""
    absent = [y for y in case.required if not tallies[y].complete]
    for y in absent:
        t = tallies[y]
        case.reasons.append(f"{y}年度未连续参加学习：公需科目{t.public}学时，专业科目{t.professional}学时。")
    total = sum(tallies[y].public + tallies[y].professional for y in case.required)
    needed = spec["total_hours"]
    case.reasons.append(f"{_years_text(case.required)}{_total_line(total, needed, '要求')}")
    return not absent and total >= needed

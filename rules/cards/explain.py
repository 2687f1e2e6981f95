"""Line-by-line explanations of a ledger verdict (学时审验说明): what each year had, what was required."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Sum

from ledger.models import HourEntry, Person, Source
from rules import ledger_source
from rules.engine import EligibilityInputError, Notice, Review, Verdict
from rules.engine.types import FLAG_LABELS, KIND_LABELS, LEVEL_LABELS, SOURCE_LABELS, SUBJECT_LABELS

APPLIED_LABELS = {
    "age_full": "年龄达到免除条件", "age_partial": "年龄达到减免条件", **FLAG_LABELS, **SOURCE_LABELS,
}


def review_label(kind: str, level: str | None) -> str:
    """职称评审（高级）, or 年度考核评优 for a kind without levels: Chinese names, never codes."""
    return f"{KIND_LABELS[kind]}（{LEVEL_LABELS[level]}）" if level else KIND_LABELS[kind]


@dataclass
class Explanation:
    """A verdict for one person and review, with each year's ledger hours beside it."""

    review: Review
    rules_code: str
    verdict: Verdict | None
    error: str
    years: list[dict]
    notice: Notice | None = None  # the notice the verdict rests on

    @property
    def what(self) -> str:
        return review_label(self.review.kind, self.review.level)

    @property
    def applied(self) -> list[str]:
        return [APPLIED_LABELS.get(code, code) for code in (self.verdict.applied if self.verdict else [])]


def ledger_years(person_id: int, years) -> dict[int, dict]:
    """Certified hours per year by subject and by source (credits plus reversals), one query."""
    found: dict[int, dict] = defaultdict(lambda: {"public": 0, "professional": 0, "sources": []})
    rows = (HourEntry.objects.filter(person_id=person_id, year__in=list(years))
            .values("year", "subject", "source").annotate(hours=Sum("hours")).order_by("year", "subject", "source"))
    for row in rows:
        year = found[row["year"]]
        year[row["subject"]] += row["hours"]
        year["sources"].append({
            "subject": SUBJECT_LABELS[row["subject"]], "source": Source(row["source"]).label, "hours": row["hours"],
        })
    return found


def _year_rows(verdict: Verdict | None, review: Review, ledger: dict[int, dict]) -> list[dict]:
    tallies = verdict.years if verdict else {}
    required = set(verdict.required_years) if verdict else set()
    shown = sorted(set(tallies) | set(ledger), reverse=True)
    return [
        {"year": y, "required": y in required, "tally": tallies.get(y), "ledger": ledger.get(y),
         "counted": y in tallies}
        for y in shown
    ]


def explain(*, person: Person, review: Review) -> Explanation:
    """The verdict from the ledger (one rule-set lookup) and the ledger's hours of the years around it.

    Without a region on the review, the rules are those of the person's employer's division."""
    if review.region is None:
        review = replace(review, region=ledger_source.person_region(person))
    try:
        policy = ledger_source.review_policy(review)
    except EligibilityInputError as exc:
        return Explanation(review, "", None, exc.message, [])
    conversions = policy["eligibility"]["conversions"]
    person_in = ledger_source.inputs_for(persons=[person], review=review, conversions=conversions)[person.pk]
    result = ledger_source.judge(person_in, review, policy, pid=person.pk)
    low, high = ledger_source.year_range(review)
    ledger = ledger_years(person.pk, range(low, high + 1))
    return Explanation(review, policy.code, result.verdict, result.error, _year_rows(result.verdict, review, ledger),
                       policy.notice)


def same_day_next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)

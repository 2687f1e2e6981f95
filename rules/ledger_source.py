"""The engine's person inputs built from the project's own hour ledger (学时台账).

Hours are summed per person, year, subject and source over credits and reversals in one
aggregate query for many persons; a whole-year source (qualification exam, research project,
degree course) carries no hours, so it counts while its credits outnumber its reversals.
Flags come from PersonFlag, birth date and sex from Person. The rule set is fetched once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest

from accounts.models import Role, User
from accounts.selectors import scope_q
from common.memory import cyclic_gc_paused
from ledger.models import HourEntry, Person, PersonFlag
from ledger.selectors import person_region
from rules.eligibility import review_policy
from rules.engine import EligibilityInputError, Flag, PersonInput, Record, Review, Verdict, evaluate
from rules.engine.prepared import PreparedReview
from rules.engine.types import SUBJECTS, age_on

__all__ = [
    "LedgerVerdict", "evaluate_people", "inputs_for", "judge", "person_region", "persons_visible_to",
    "review_policy", "year_range",
]

# No rule set looks further back than this many years before the review year (2017: offset 1 + 3 years).
LOOKBACK_YEARS = 4
CHUNK_SIZE = 10_000
ORDINARY = "training"  # stands for every source the engine sums by subject alone


@dataclass(frozen=True)
class LedgerVerdict:
    """One person's verdict, or the reason the ledger data could not be judged."""

    person_id: int | None
    verdict: Verdict | None
    error: str = ""

    @classmethod
    def direct(cls, person_id: int | None, verdict: Verdict | None, error: str = "") -> LedgerVerdict:
        """The same result as the constructor's, built as `Verdict.direct` is (for the fast verdict path)."""
        result = object.__new__(cls)
        result.__dict__.update(person_id=person_id, verdict=verdict, error=error)
        return result


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Title offices and administrators: everyone (hours count region-wide); reviewers: persons
    with hours certified in their subtree; professionals: themselves."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    if user.role in (Role.TITLE_OFFICE, Role.ADMIN):
        return Person.objects.all()
    if user.role == Role.REVIEWER:
        certified = HourEntry.objects.filter(scope_q(user, organisation_field="authority")).values("person_id")
        return Person.objects.filter(pk__in=certified)
    if user.role == Role.PROFESSIONAL:
        return Person.objects.filter(user=user)
    return Person.objects.none()


def year_range(review: Review) -> tuple[int, int]:
    return review.year - LOOKBACK_YEARS, review.year


def _special_sources(conversions: dict) -> list[str]:
    """Sources the engine tells apart; an uncounted one (title exams after 2017) must not be summed as hours."""
    return sorted(set(conversions["whole_year_sources"]) | set(conversions["fixed_professional_hours"])
                  | set(conversions.get("uncounted_sources", ())))


def _counted_entries(years: tuple[int, int], special: list[str]) -> QuerySet:
    """Net hours and net count (credits minus reversals) per person, year, subject and source.

    Ordinary sources are summed together per subject (the engine only tells the special ones apart),
    which keeps the rows per person few.
    """
    net = Case(When(kind=HourEntry.Kind.REVERSAL, then=Value(-1)), default=Value(1), output_field=IntegerField())
    source = Case(When(source__in=special, then=F("source")), default=Value(ORDINARY), output_field=CharField())
    return (
        HourEntry.objects.filter(year__range=years).annotate(counted_source=source)
        .values("person_id", "year", "subject", "counted_source")
        .annotate(hours=Sum("hours"), net=Sum(net))
        .order_by("person_id", "year", "subject", "counted_source")  # one order per person, for VerdictMemo
    )


def _fetch(qs: QuerySet) -> list[tuple]:
    """Rows straight from the cursor: per-row ORM converters cost more than the query on large batches."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def records_by_person(rows: Iterable[tuple], special: list[str], shared: dict | None = None) -> dict[int, list[Record]]:
    """Records per person; equal records are one shared object (they are immutable), which saves
    building most of them and lets VerdictMemo compare records by identity."""
    special_set, shared = frozenset(special), ({} if shared is None else shared)
    found: dict[int, list[Record]] = defaultdict(list)
    for pid, year, subject, source, hours, net in rows:
        if (net <= 0) if source in special_set else (hours <= 0):
            continue
        key = (year, subject, source, None if source in special_set else hours)
        record = shared.get(key)
        if record is None:
            record = shared[key] = Record(year=year, subject=subject, source=source, hours=key[3])
        found[pid].append(record)
    return found


def flags_by_person(person_filter: Q) -> dict[int, list[tuple]]:
    """Each person's flags as (code, year, post_start_year), in the order they were recorded."""
    found: dict[int, list[tuple]] = defaultdict(list)
    rows = PersonFlag.objects.filter(person_filter).order_by("pk").values_list(
        "person_id", "code", "year", "post_start_year")
    for pid, code, year, post_start in _fetch(rows):
        found[pid].append((code, year, post_start))
    return found


def person_input(pid: int, birth_date, sex: str, flags: list[tuple], records: list[Record]) -> PersonInput:
    if not flags:
        return PersonInput(str(pid), birth_date, sex, (), None, tuple(records))
    post_start = next((start for _code, _year, start in flags if start is not None), None)
    return PersonInput(
        key=str(pid), birth_date=birth_date, sex=sex, flags=tuple(Flag(code=code, year=year) for code, year, _ in flags),
        post_start_year=post_start, records=tuple(records),
    )


def _id_filter(ids: list[int]) -> Q:
    """A contiguous run of ids (a chunk of the whole table) is read as a range, which an index serves well."""
    if len(ids) > 1 and ids[-1] - ids[0] + 1 == len(ids):
        return Q(person_id__gte=ids[0], person_id__lte=ids[-1])
    return Q(person_id__in=ids)


def inputs_for(*, persons: list, review: Review, conversions: dict, shared: dict | None = None,
               flags: dict[int, list[tuple]] | None = None) -> dict[int, PersonInput]:
    """PersonInputs for `persons` (Person objects or (id, birth_date, sex) tuples), in two queries (one when
    the caller has read their `flags_by_person` already)."""
    people = sorted((p.pk, p.birth_date, p.sex) if isinstance(p, Person) else tuple(p) for p in persons)
    ids = [p[0] for p in people]
    if not ids:
        return {}
    special = _special_sources(conversions)
    entries = _counted_entries(year_range(review), special).filter(_id_filter(ids)).values_list(
        "person_id", "year", "subject", "counted_source", "hours", "net")
    records = records_by_person(_fetch(entries), special, shared)
    flags = flags_by_person(_id_filter(ids)) if flags is None else flags
    empty: list = []
    return {pid: person_input(pid, birth, sex, flags.get(pid, empty), records.get(pid, empty))
            for pid, birth, sex in people}


def judge(person: PersonInput, review: Review, policy, *, pid: int | None = None) -> LedgerVerdict:
    try:
        return LedgerVerdict(pid, evaluate(review=review, person=person, params=policy.params, rules_code=policy.code,
                                           notice=policy.notice))
    except EligibilityInputError as exc:
        return LedgerVerdict(pid, None, f"{exc.field_name}：{exc.message}")


def _window_hours(ids: list[int], review: Review, window: list[int], special: list[str]) -> list[tuple]:
    """Per person with entries: (id, has a special-source entry in the look-back years, then the net public and
    professional hours of each window year), in one row. A pair is clamped at 0 as `records_by_person` drops a
    subject-year whose net hours are not positive. The hours sum every source: a person with a special
    source is judged from his records instead (the flag says so), so only ordinary hours are ever read."""
    columns = {
        f"y{i}_{subject}": Greatest(Coalesce(Sum("hours", filter=Q(year=year, subject=subject)), 0), 0)
        for i, year in enumerate(window) for subject in SUBJECTS
    }
    marked = Max(Case(When(source__in=special, then=Value(1)), default=Value(0))) if special else Value(0)
    qs = (HourEntry.objects.filter(_id_filter(ids), year__range=year_range(review)).values("person_id")
          .annotate(special=marked, **columns).order_by().values_list("person_id", "special", *columns))
    return _fetch(qs)


def _judge_chunk(chunk: list[tuple], prepared: PreparedReview, policy, conversions: dict, memo: VerdictMemo | None,
                 shared: dict) -> list[LedgerVerdict]:
    """Persons with no flags and only ordinary hours take the prepared review's fast path from their window
    hours; the others (and everyone when the review has no fast path) are judged from full inputs."""
    hours, flags, general = _split_chunk(chunk, prepared, conversions)
    inputs = inputs_for(persons=general, review=prepared.review, conversions=conversions, shared=shared,
                        flags=flags) if general else {}
    none, review, verdicts = (0,) * (2 * len(prepared.window)) if prepared.fast else (), prepared.review, []
    for pid, birth, sex in chunk:
        person = inputs.get(pid)
        if person is not None:
            verdicts.append(memo.judge(person, pid) if memo else judge(person, review, policy, pid=pid))
            continue
        row = hours.get(pid)
        window = row[2:] if row else none
        verdicts.append(memo.judge_hours(pid, birth, sex, window) if memo else
                        LedgerVerdict.direct(pid, prepared.evaluate_hours(str(pid), birth, sex, window)))
    return verdicts


def _split_chunk(chunk: list[tuple], prepared: PreparedReview, conversions: dict) -> tuple[dict, dict | None, list]:
    """The window-hours rows by person id, the chunk's flags, and the persons off the fast path (flags, special
    sources, a sex the rules do not know; everyone when the review has no fast path)."""
    if not prepared.fast:
        return {}, None, chunk
    ids = [row[0] for row in chunk]
    rows = _window_hours(ids, prepared.review, prepared.window, _special_sources(conversions))
    hours = {row[0]: row for row in rows}
    flags = flags_by_person(_id_filter(ids))
    off = {row[0] for row in rows if row[1]}.union(flags)
    odd_sexes = {sex for sex in {p[2] for p in chunk} if not prepared.plain(sex)}
    return hours, flags, [p for p in chunk if p[0] in off or p[2] in odd_sexes]


class VerdictMemo:
    """Persons alike in everything the engine reads get the same verdict, so each kind is judged once.

    Exact, not approximate: the engine reads the birth date only through the age on the review day,
    and never reads the key except to name a malformed input (`judge` keeps only field and message).
    """

    LIMIT = 100_000

    def __init__(self, review: Review, policy, prepared: PreparedReview):
        self.review, self.policy, self.prepared, self.seen = review, policy, prepared, {}
        self.records: dict = {}  # the shared Records (records_by_person): alive as long as the memo

    def judge(self, person: PersonInput, pid: int) -> LedgerVerdict:
        records = tuple(map(id, person.records))  # shared objects in one order per person: identity is equality
        kind = (age_on(person.birth_date, self.review.date), person.sex, person.flags, person.post_start_year, records)
        found = self.seen.get(kind)
        if found is None:
            if len(self.seen) >= self.LIMIT:
                self.seen.clear()
            found = self.seen[kind] = judge(person, self.review, self.policy, pid=pid)
        return self._copy(found, person.key, pid)

    def judge_hours(self, pid: int, birth_date, sex: str, hours: tuple) -> LedgerVerdict:
        """The fast path's persons: the engine reads the age, the sex and the window hours (see PreparedReview)."""
        kind = (age_on(birth_date, self.review.date), sex, hours)
        found = self.seen.get(kind)
        if found is None:
            if len(self.seen) >= self.LIMIT:
                self.seen.clear()
            found = self.seen[kind] = LedgerVerdict(pid, self.prepared.evaluate_hours(str(pid), birth_date, sex, hours))
        return self._copy(found, str(pid), pid)

    @staticmethod
    def _copy(found: LedgerVerdict, key: str, pid: int) -> LedgerVerdict:
        if found.verdict is None:
            return LedgerVerdict(pid, None, found.error)
        v = found.verdict
        return LedgerVerdict.direct(pid, Verdict.direct(key, v.eligible, v.required_years, v.years, v.applied,
                                                        v.reasons, v.notice))


def evaluate_people(*, review: Review, persons_qs: QuerySet | None = None, ids: Iterable[int] | None = None,
                    chunk_size: int = CHUNK_SIZE, memo: bool = True) -> Iterator[LedgerVerdict]:
    """Verdicts for every person of `persons_qs` (or `ids`), streamed in chunks of `chunk_size`.

    The rule set and the review's fixed parts (PreparedReview) are worked out once. Each chunk costs three
    queries (persons, one row of window hours per person, flags), and one more (the hours aggregate per source)
    for the persons off the fast path (flags, special sources), when it has any.
    With `memo`, persons alike in every input the engine reads share one evaluation (see VerdictMemo);
    verdicts are then shared objects: read them, do not change them.
    """
    policy = review_policy(review)
    prepared = PreparedReview(review=review, params=policy.params, rules_code=policy.code, notice=policy.notice)
    qs = persons_qs if persons_qs is not None else Person.objects.filter(pk__in=list(ids or []))
    qs = qs.order_by("pk").values_list("pk", "birth_date", "sex")
    memo_ = VerdictMemo(review, policy, prepared) if memo else None
    shared = memo_.records if memo_ else {}
    conversions = policy["eligibility"]["conversions"]
    after = 0
    while True:
        # A chunk is loaded and judged with the cyclic collector paused (its passes over the chunk's fresh
        # inputs and verdicts, none in a cycle, cost as much as judging), then handed out.
        with cyclic_gc_paused():
            chunk = _fetch(qs.filter(pk__gt=after)[:chunk_size])
            verdicts = _judge_chunk(chunk, prepared, policy, conversions, memo_, shared) if chunk else []
        if not chunk:
            return
        yield from verdicts
        after = chunk[-1][0]

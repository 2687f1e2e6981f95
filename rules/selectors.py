"""Which rules are in force for a division on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from jurisdiction.models import Division
from rules.engine.types import Notice
from rules.models import RuleSet


class NoRuleSetInForce(LookupError):
    pass


def _deep_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def rulesets_in_force(*, division: Division, on: date) -> list[RuleSet]:
    """The sets in force on `on` issued at the division or any node above it, root first."""
    ancestor_codes = division.path.strip("/").split("/")
    qs = (
        RuleSet.objects.filter(issuer__code__in=ancestor_codes, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .select_related("issuer")
    )
    by_depth = sorted(qs, key=lambda rs: (len(rs.issuer.path), rs.effective_from))
    # At each level only the newest set in force counts.
    newest: dict[str, RuleSet] = {}
    for rs in by_depth:
        newest[rs.issuer.path] = rs
    return sorted(newest.values(), key=lambda rs: len(rs.issuer.path))


@dataclass(frozen=True)
class Policy:
    """The merged parameters in force, with the sets they came from."""

    params: dict
    sources: tuple[str, ...]
    notice: Notice | None = None  # the most specific set's notice: title, document number, issuer

    def __getitem__(self, key: str):
        return self.params[key]

    @property
    def code(self) -> str:
        return self.sources[-1]


def policy_for(*, division: Division, on: date) -> Policy:
    chain = rulesets_in_force(division=division, on=on)
    if not chain:
        raise NoRuleSetInForce(f"{division.name}（{division.code}）在 {on:%Y-%m-%d} 没有生效的规则集。")
    params: dict = {}
    for rs in chain:
        params = _deep_merge(params, rs.params)
    newest = chain[-1]
    notice = Notice(title=newest.notice or newest.name, number=newest.document_number, issuer=newest.issuing_body)
    return Policy(params=params, sources=tuple(rs.code for rs in chain), notice=notice)

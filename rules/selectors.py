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


# --- who certifies hours (核定学时) -----------------------------------------------------------

PARTY_LABELS = {
    "local_hrss": "属地人力资源社会保障部门",
    "employer": "所在单位人力资源（人事）部门",
    "region_base": "自治区级专业技术人员继续教育基地",
}
PARTY_ROLES = {
    "local_hrss": ("reviewer",),
    "employer": ("employer_hr", "reviewer"),
    "region_base": ("organiser", "employer_hr"),
}


@dataclass(frozen=True)
class CertifyingParty:
    """Who may certify a trainee's hours: any of `organisations`, by the rules of `notice`."""

    kinds: tuple[str, ...]
    organisations: tuple  # jurisdiction.Organisation, in the order the notice names them
    notice: Notice | None = None

    @property
    def label(self) -> str:
        return "或".join(PARTY_LABELS[kind] for kind in self.kinds)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(o.pk for o in self.organisations)


def _local_bureau(division: Division):
    from jurisdiction.models import Organisation

    ancestors = division.path.strip("/").split("/")
    bureaus = Organisation.objects.filter(kind=Organisation.Kind.HRSS, is_active=True,
                                          division__code__in=ancestors).select_related("division")
    return max(bureaus, key=lambda o: (len(o.division.path), -o.pk), default=None)


def _party_kinds(rule: dict, employer, source: str) -> list[str]:
    level = employer.management_level if employer is not None else "local"
    override = rule.get("sources_override", {}).get(level)
    if override and source in override["sources"] and employer is not None and (
            "employer_divisions" not in override or employer.division_id in override["employer_divisions"]):
        return list(override["parties"])
    return [rule.get("by_level", {}).get(level, "local_hrss")]


def certifying_party(*, employer=None, on: date, source: str = "training", organiser=None,
                     division: Division | None = None, local_bureau=None) -> CertifyingParty:
    """Who certifies the hours of a trainee employed by `employer` (jurisdiction.Organisation, or None when
    unknown), from training of `source` organised by `organiser`, under the rules in force on `on`.

    The party follows the employer's management level (Organisation.management_level) and the rule set's
    `certifying_party` data (rules migration 0009); parties that resolve to no organisation are skipped,
    and the local HR bureau is the fallback. The local HR bureau is `local_bureau` when the caller knows which
    bureau holds management authority (a plan's reviewing authority), else the nearest one at or above the
    employer's (or given) division. Four eyes by person: see `may_certify`.
    """
    place = employer.division if employer is not None else (division or organiser.division)
    policy = policy_for(division=place, on=on)
    rule = policy.params.get("certifying_party", {})
    found: list[tuple[str, object]] = []
    for kind in _party_kinds(rule, employer, source):
        if kind == "employer" and employer is not None:
            found.append((kind, employer))
        elif kind == "region_base" and organiser is not None and organiser.kind == "base_region":
            found.append((kind, organiser))
        elif kind == "local_hrss" and (bureau := local_bureau or _local_bureau(place)) is not None:
            found.append((kind, bureau))
    if not found and (bureau := local_bureau or _local_bureau(place)) is not None:
        found.append(("local_hrss", bureau))
    return CertifyingParty(tuple(k for k, _ in found), tuple(o for _, o in found), policy.notice)


def may_certify(user, party: CertifyingParty, *, filed_by=None, applicant=None) -> bool:
    """Four eyes by person: a user of one of the party's organisations, in a role that certifies for it,
    who is neither the person who filed the training (or roster) nor the one who applied."""
    if not getattr(user, "is_active", False) or user.organisation_id not in party.organisation_ids:
        return False
    kinds = [k for k, o in zip(party.kinds, party.organisations, strict=True) if o.pk == user.organisation_id]
    if not any(user.role in PARTY_ROLES[kind] for kind in kinds):
        return False
    excluded = {getattr(p, "pk", p) for p in (filed_by, applicant) if p is not None}
    return user.pk not in excluded


def authority_settings(authority):
    """The authority's own settings (rules.AuthoritySettings), or the defaults when it has none."""
    from rules.models import AuthoritySettings

    found = AuthoritySettings.objects.filter(authority=authority).first() if authority is not None else None
    return found or AuthoritySettings(authority=authority)

"""The spot-check draw, version `spotcheck-draw/1`. Pure Python, no Django: anyone can recompute it.

Inputs (all published with the campaign):
- seed: a text string, revealed at the draw; its SHA-256 was published when the campaign was created;
- population: items {"id": filing number, "stratum": text, "risk": integer >= 0};
- parameters: size | ratio (with min), random_share, strata quotas, risk_weighting.

Procedure:
1. Canonical population = items sorted by id, serialised as JSON with sorted keys, separators
   (",", ":") and UTF-8 (ensure_ascii=False). population_hash = SHA-256 hex of those bytes.
2. Per-item uniforms: u(label, stratum, id) = (first 8 bytes of HMAC-SHA256(key=UTF-8 seed, msg=UTF-8 of
   "label|stratum|id"), big-endian, + 0.5) / 2**64, with label "random" or "weighted".
3. Quotas: if `strata` quotas are given, stratum s gets min(quota[s], size of s) and strata not
   named get 0. Otherwise n = size, or ceil(ratio * N); n = max(n, min); n = min(n, N); n is spread
   over strata in proportion to their size by largest remainder (ties: larger remainder, then
   stratum name).
4. In each stratum (sorted by name) with quota q: k = floor(q * random_share + 1/2) items with the
   smallest u("random") form the random part, whatever their risk. From the rest, the q - k items
   with the largest Efraimidis–Spirakis key log(u("weighted")) / w are the risk part, where
   w = 1 + risk (w = 1 for everyone when risk_weighting is off). Ties are broken by id.
5. The selection is the list of {id, stratum, part, rank} in that order; selection_hash is the
   SHA-256 of its canonical JSON.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from json.encoder import encode_basestring

ALGORITHM_VERSION = "spotcheck-draw/1"
_SCALE = float(2**64)


@dataclass(frozen=True)
class DrawParameters:
    size: int | None = None
    ratio: Decimal | None = None
    minimum: int = 1
    random_share: Decimal = Decimal("0.30")
    strata: dict[str, int] = field(default_factory=dict)
    risk_weighting: bool = True

    def as_dict(self) -> dict:
        return {
            "size": self.size, "ratio": None if self.ratio is None else str(self.ratio), "min": self.minimum,
            "random_share": str(self.random_share), "strata": dict(sorted(self.strata.items())),
            "risk_weighting": self.risk_weighting,
        }

    @classmethod
    def from_dict(cls, data: dict) -> DrawParameters:
        ratio = data.get("ratio")
        return cls(
            size=data.get("size"), ratio=None if ratio in (None, "") else Decimal(str(ratio)),
            minimum=int(data.get("min") or 0), random_share=Decimal(str(data.get("random_share", "0.30"))),
            strata={str(k): int(v) for k, v in (data.get("strata") or {}).items()},
            risk_weighting=bool(data.get("risk_weighting", True)),
        )


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def seed_commitment(seed: str) -> str:
    """What is published before the population is known: SHA-256 of the seed's UTF-8 bytes."""
    return sha256_hex(seed)


def canonical_population(items: list[dict]) -> list[dict]:
    return sorted(({"id": str(i["id"]), "stratum": str(i["stratum"]), "risk": int(i["risk"])} for i in items),
                  key=lambda i: i["id"])


def population_hash(items: list[dict], *, canonical: bool = False) -> str:
    return sha256_hex(population_bytes(items if canonical else canonical_population(items)))


def population_bytes(population: list[dict]) -> bytes:
    """canonical_json of a canonical population, byte for byte, written out directly: with sorted keys an item
    is {"id":…,"risk":…,"stratum":…}, and json.dumps quotes each string with the same encode_basestring."""
    quoted: dict[str, str] = {}
    parts = []
    for item in population:
        stratum = item["stratum"]
        text = quoted.get(stratum)
        if text is None:
            text = quoted[stratum] = encode_basestring(stratum)
        parts.append(f'{{"id":{encode_basestring(item["id"])},"risk":{int(item["risk"])},"stratum":{text}}}')
    return ("[" + ",".join(parts) + "]").encode("utf-8")


class Keyed:
    """HMAC-SHA256 under one key, with the padded inner and outer states computed once (RFC 2104).

    Equal to `hmac.digest(key, msg, "sha256")`, about three times faster for many short messages.
    """

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def digests(self, prefix: str, suffixes: list[str]) -> list[bytes]:
        """[self.digest((prefix + s).encode()) for s in suffixes], with the prefix hashed once."""
        prefixed = self._inner.copy()
        prefixed.update(prefix.encode())
        outer, found = self._outer, []
        for suffix in suffixes:
            inner = prefixed.copy()
            inner.update(suffix.encode())
            mac = outer.copy()
            mac.update(inner.digest())
            found.append(mac.digest())
        return found

    def uniforms(self, label: str, stratum: str, item_ids: list[str]) -> list[float]:
        """[uniform(self, label, stratum, id) for id in item_ids], with the common "label|stratum|" prefix
        hashed once into the inner state."""
        prefixed = self._inner.copy()
        prefixed.update(f"{label}|{stratum}|".encode())
        outer, scale, from_bytes = self._outer, _SCALE, int.from_bytes
        values = []
        for item_id in item_ids:
            inner = prefixed.copy()
            inner.update(item_id.encode())
            mac = outer.copy()
            mac.update(inner.digest())
            values.append((from_bytes(mac.digest()[:8], "big") + 0.5) / scale)
        return values


def uniform(key: Keyed, label: str, stratum: str, item_id: str) -> float:
    digest = key.digest(f"{label}|{stratum}|{item_id}".encode())
    return (int.from_bytes(digest[:8], "big") + 0.5) / _SCALE


def _total(params: DrawParameters, population_size: int) -> int:
    if params.size is not None:
        n = params.size
    else:
        n = int((params.ratio * population_size).to_integral_value(rounding=ROUND_CEILING))
    return min(max(n, params.minimum), population_size)


def _proportional(n: int, sizes: dict[str, int]) -> dict[str, int]:
    total = sum(sizes.values())
    if not total:
        return {s: 0 for s in sizes}
    exact = {s: Decimal(n) * size / total for s, size in sizes.items()}
    quotas = {s: int(v.to_integral_value(rounding=ROUND_FLOOR)) for s, v in exact.items()}
    order = sorted(sizes, key=lambda s: (-(exact[s] - quotas[s]), s))
    for s in order[: n - sum(quotas.values())]:
        quotas[s] += 1
    return quotas


def quotas_for(params: DrawParameters, sizes: dict[str, int]) -> dict[str, int]:
    """How many items each stratum contributes (step 3)."""
    if params.strata:
        return {s: min(params.strata.get(s, 0), size) for s, size in sizes.items()}
    return _proportional(_total(params, sum(sizes.values())), sizes)


def random_count(quota: int, share: Decimal) -> int:
    return int((Decimal(quota) * share + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))


def _draw_stratum(key: Keyed, stratum: str, items: list[dict], quota: int, params: DrawParameters) -> list[dict]:
    """Step 4 for one stratum. Items are ordered by (u, id) and by (-ES key, id) as tuples of plain values; the
    position is the last element only so that equal (u, id) pairs never compare the dicts."""
    k = min(random_count(quota, params.random_share), quota)
    ids = [i["id"] for i in items]
    # The k smallest (u, id) in order, == sorted(...)[:k] without sorting the whole stratum.
    by_u = heapq.nsmallest(k, zip(key.uniforms("random", stratum, ids), ids, range(len(ids)), strict=True))
    chosen = [dict(id=item_id, stratum=stratum, part="random") for _u, item_id, _at in by_u]
    taken = {at for _u, _id, at in by_u}
    # The others, in stratum order: the risk part takes the smallest (-ES key, id), whatever their order.
    rest = [at for at in range(len(ids)) if at not in taken]
    if quota - k > 0 and rest:
        rest_ids = [ids[at] for at in rest]
        u_weighted = key.uniforms("weighted", stratum, rest_ids)
        if params.risk_weighting:
            weights = [1 + items[at]["risk"] for at in rest]
        else:
            weights = [1] * len(rest)
        log = math.log
        keys = [(-(log(u) / w), item_id) for u, w, item_id in zip(u_weighted, weights, rest_ids, strict=True)]
        weighted = heapq.nsmallest(quota - k, keys)  # == sorted(keys)[:quota - k]
        chosen += [dict(id=item_id, stratum=stratum, part="risk") for _key, item_id in weighted]
    return chosen


def draw(items: list[dict], *, seed: str, params: DrawParameters, canonical: bool = False) -> list[dict]:
    """Steps 1–5: the ordered selection. `canonical=True` skips re-sorting an already canonical list."""
    population = items if canonical else canonical_population(items)
    strata: dict[str, list[dict]] = {}
    for item in population:
        strata.setdefault(item["stratum"], []).append(item)
    quotas = quotas_for(params, {s: len(v) for s, v in strata.items()})
    key = Keyed(seed.encode("utf-8"))
    selection: list[dict] = []
    for stratum in sorted(strata):
        selection += _draw_stratum(key, stratum, strata[stratum], quotas[stratum], params)
    return [dict(item, rank=rank) for rank, item in enumerate(selection, start=1)]


def selection_hash(selection: list[dict]) -> str:
    return sha256_hex(canonical_json(selection))


def run(items: list[dict], *, seed: str, params: DrawParameters, with_bytes: bool = False,
        canonical: bool = False) -> dict:
    """The whole frozen record: what the draw command prints and what verification compares.
    `with_bytes`: also the canonical population bytes (key "population_bytes"), for storing.
    `canonical=True`: `items` already are the canonical population (exactly the keys id, stratum and risk, as
    str, str and int, sorted by id), as the freeze makes them."""
    population = items if canonical else canonical_population(items)
    data = population_bytes(population)
    selection = draw(population, seed=seed, params=params, canonical=True)
    record = {
        "algorithm_version": ALGORITHM_VERSION,
        "parameters": params.as_dict(),
        "population_size": len(items),
        "population_hash": sha256_hex(data),
        "seed": seed,
        "seed_commitment": seed_commitment(seed),
        "selection": selection,
        "selection_hash": selection_hash(selection),
        "population": population,
    }
    if with_bytes:
        record["population_bytes"] = data
    return record

"""The faster implementation of spotcheck-draw/1 gives exactly what the published procedure, written plainly,
gives: the same canonical bytes and hash, the same selection, on random populations and on the recorded draw."""

import gzip
import json
import math
import random
from decimal import Decimal
from pathlib import Path

import pytest

from reviews.spotchecks import algorithm
from reviews.spotchecks.algorithm import DrawParameters, Keyed, quotas_for, random_count

RECORDED = Path(__file__).parent / "fixtures" / "draw_recorded_before_compact_population.json.gz"


def plain_uniform(seed: str, label: str, stratum: str, item_id: str) -> float:
    """Step 2 as published: the standard library's HMAC, no precomputed states."""
    import hmac

    digest = hmac.digest(seed.encode("utf-8"), f"{label}|{stratum}|{item_id}".encode(), "sha256")
    return (int.from_bytes(digest[:8], "big") + 0.5) / 2**64


def plain_draw(items: list[dict], *, seed: str, params: DrawParameters) -> list[dict]:
    """Steps 1–5 as published, one item at a time (the implementation before this change)."""
    population = sorted(({"id": str(i["id"]), "stratum": str(i["stratum"]), "risk": int(i["risk"])} for i in items),
                        key=lambda i: i["id"])
    strata: dict[str, list[dict]] = {}
    for item in population:
        strata.setdefault(item["stratum"], []).append(item)
    quotas = quotas_for(params, {s: len(v) for s, v in strata.items()})
    selection = []
    for stratum in sorted(strata):
        quota = quotas[stratum]
        k = min(random_count(quota, params.random_share), quota)
        by_u = sorted(strata[stratum], key=lambda i, s=stratum: (plain_uniform(seed, "random", s, i["id"]), i["id"]))
        selection += [dict(id=i["id"], stratum=stratum, part="random") for i in by_u[:k]]

        def es_key(item, s=stratum):
            weight = 1 + item["risk"] if params.risk_weighting else 1
            return math.log(plain_uniform(seed, "weighted", s, item["id"])) / weight

        weighted = sorted(by_u[k:], key=lambda i: (-es_key(i), i["id"]))[: quota - k]
        selection += [dict(id=i["id"], stratum=stratum, part="risk") for i in weighted]
    return [dict(item, rank=rank) for rank, item in enumerate(selection, start=1)]


ODD_TEXT = ["备-2026-1504-00001", 'quote"d', "back\\slash", "tab\there", "new\nline", "é", "\u2028", "😀", "\x01"]


def random_population(rng: random.Random, n: int) -> list[dict]:
    strata = [f"15{rng.randint(0, 99):02d}00" for _ in range(rng.randint(1, 6))] + rng.sample(ODD_TEXT, 2)
    ids = set()
    while len(ids) < n:
        ids.add(rng.choice(ODD_TEXT[:3]) + f"-{rng.randint(0, 10 ** 6)}")
    return [{"id": i, "stratum": rng.choice(strata), "risk": rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13])} for i in ids]


PARAMETERS = [
    DrawParameters(size=25),
    DrawParameters(ratio=Decimal("0.1"), minimum=3, random_share=Decimal("0.5")),
    DrawParameters(size=40, random_share=Decimal("0"), risk_weighting=False),
    DrawParameters(size=10, random_share=Decimal("1")),
    DrawParameters(strata={"150400": 4, "tab\there": 2}, random_share=Decimal("0.3")),
]


@pytest.mark.parametrize("case", range(30))
def test_random_populations_draw_the_same_as_the_plain_procedure(case):
    rng = random.Random(case)
    items = random_population(rng, rng.choice([1, 7, 60, 400]))
    params = PARAMETERS[case % len(PARAMETERS)]
    seed = f"种子-{case}"
    record = algorithm.run(items, seed=seed, params=params)
    assert record["selection"] == plain_draw(items, seed=seed, params=params)
    canonical = json.dumps(record["population"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert algorithm.population_bytes(record["population"]) == canonical.encode("utf-8")
    assert record["population_hash"] == algorithm.sha256_hex(canonical)


def test_uniforms_of_a_stratum_equal_one_hmac_per_item():
    ids = ["a", "备-1", "x" * 70]
    assert Keyed(b"k" * 80).uniforms("weighted", "s|t", ids) == [plain_uniform("k" * 80, "weighted", "s|t", i)
                                                                 for i in ids]


def test_the_recorded_draw_is_drawn_again_identically():
    """A draw made through campaign_draw before this change (see test_draw_recorded_before_the_change)."""
    recorded = json.loads(gzip.decompress(RECORDED.read_bytes()))
    params = DrawParameters.from_dict(recorded["parameters"])
    record = algorithm.run(recorded["population"], seed=recorded["seed"], params=params)
    assert record["population_hash"] == recorded["population_hash"]
    assert record["selection"] == recorded["selection"] == plain_draw(recorded["population"], seed=recorded["seed"],
                                                                        params=params)
    assert record["selection_hash"] == recorded["selection_hash"]

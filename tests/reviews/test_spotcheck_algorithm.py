"""The draw procedure itself, without the database."""

import hmac
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from reviews.spotchecks import algorithm
from reviews.spotchecks.algorithm import DrawParameters

PARAMS = DrawParameters(size=20, random_share=Decimal("0.3"))


def population(n=300, strata=("150400", "150600", "150700")):
    return [{"id": f"备-2026-{i:05d}", "stratum": strata[i % len(strata)], "risk": i % 4} for i in range(n)]


def ids(selection):
    return [s["id"] for s in selection]


def test_the_same_frozen_inputs_give_the_same_sample():
    items = population()
    shuffled = list(reversed(items))
    assert algorithm.run(items, seed="s1", params=PARAMS) == algorithm.run(shuffled, seed="s1", params=PARAMS)


def test_a_different_seed_gives_a_different_sample():
    items = population()
    assert ids(algorithm.draw(items, seed="s1", params=PARAMS)) != ids(algorithm.draw(items, seed="s2", params=PARAMS))


def test_changing_one_population_member_changes_hash_and_sample():
    items = population()
    first = algorithm.run(items, seed="s1", params=PARAMS)
    chosen = first["selection"][0]["id"]
    changed = [dict(i, id="备-2026-99999") if i["id"] == chosen else i for i in items]
    second = algorithm.run(changed, seed="s1", params=PARAMS)
    assert second["population_hash"] != first["population_hash"]
    assert ids(second["selection"]) != ids(first["selection"])


def test_a_changed_risk_changes_the_population_hash():
    items = population()
    changed = [dict(items[0], risk=9)] + items[1:]
    assert algorithm.population_hash(changed) != algorithm.population_hash(items)


def test_every_stratum_gets_its_number():
    params = DrawParameters(strata={"150400": 7, "150600": 3, "150700": 0}, random_share=Decimal("0.3"))
    for seed in ("a", "b", "c"):
        counts = Counter(s["stratum"] for s in algorithm.draw(population(), seed=seed, params=params))
        assert counts == Counter({"150400": 7, "150600": 3})


def test_a_ratio_with_a_minimum_is_spread_over_strata_by_size():
    items = population(n=100, strata=("a", "a", "a", "b"))  # 75 in a, 25 in b
    params = DrawParameters(ratio=Decimal("0.05"), minimum=8, random_share=Decimal("0"))
    counts = Counter(s["stratum"] for s in algorithm.draw(items, seed="x", params=params))
    assert counts == Counter({"a": 6, "b": 2})


def test_the_random_share_is_rounded_half_up_per_stratum():
    params = DrawParameters(size=10, random_share=Decimal("0.25"))
    parts = Counter(s["part"] for s in algorithm.draw(population(n=50, strata=("x",)), seed="x", params=params))
    assert parts == Counter({"random": 3, "risk": 7})


def test_keys_are_hmac_sha256_as_documented():
    key = algorithm.Keyed("种子".encode())
    assert key.digest(b"random|s|1") == hmac.digest("种子".encode(), b"random|s|1", "sha256")


def _frequencies(items, seeds, params):
    counts, random_low = Counter(), 0
    for seed in seeds:
        for s in algorithm.draw(items, seed=seed, params=params):
            counts[s["id"]] += 1
            random_low += s["part"] == "random" and s["id"].startswith("low")
    return counts, random_low


def test_high_risk_is_drawn_more_often_while_the_random_share_reaches_low_risk():
    items = [{"id": f"high-{i:03d}", "stratum": "s", "risk": 8} for i in range(20)]
    items += [{"id": f"low-{i:03d}", "stratum": "s", "risk": 0} for i in range(180)]
    seeds = [f"fixed-seed-{n}" for n in range(200)]
    counts, random_low = _frequencies(items, seeds, DrawParameters(size=20, random_share=Decimal("0.3")))
    high_rate = sum(counts[i["id"]] for i in items[:20]) / (20 * 200)
    low_rate = sum(counts[i["id"]] for i in items[20:]) / (180 * 200)
    assert high_rate > 4 * low_rate
    assert random_low > 900  # 6 random picks per draw × 200 draws; about 90 % of them are low-risk
    unweighted, _ = _frequencies(items, seeds, DrawParameters(size=20, random_share=Decimal("0.3"),
                                                              risk_weighting=False))
    assert sum(unweighted[i["id"]] for i in items[:20]) < sum(counts[i["id"]] for i in items[:20]) / 2


@pytest.fixture
def population_file(tmp_path):
    path = tmp_path / "population.json"
    path.write_text(json.dumps({"items": population()}, ensure_ascii=False), encoding="utf-8")
    return path


def _draw_sample(capsys, path, *args):
    call_command("draw_sample", "--population-file", str(path), *args)
    return json.loads(capsys.readouterr().out)


def test_draw_sample_prints_the_same_selection_for_the_same_inputs(capsys, population_file):
    args = ("--seed", "s1", "--ratio", "0.05", "--min", "10", "--random-share", "0.3",
            "--strata", '{"150400": 4, "150600": 3, "150700": 3}')
    first, again = _draw_sample(capsys, population_file, *args), _draw_sample(capsys, population_file, *args)
    assert first == again
    assert len(first["selection"]) == 10
    assert first["algorithm_version"] == algorithm.ALGORITHM_VERSION
    other = _draw_sample(capsys, population_file, "--seed", "s2", *args[2:])
    assert ids(other["selection"]) != ids(first["selection"])

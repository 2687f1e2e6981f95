"""Benchmark: freeze and draw a stratified, risk-weighted sample from 100,000 trainings.

    .venv/bin/python bench/draw.py            # algorithm on in-memory data, plus a DB freeze on SQLite

Prints the time for: building the canonical population and its SHA-256 (the freeze), the draw itself,
and storing the frozen snapshot as a SpotCheckDraw-like JSON row in an in-memory SQLite table.
bench/draw_campaign.py measures the whole service on PostgreSQL, with the population query.
"""

import json
import random
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviews.spotchecks import algorithm  # noqa: E402

N = 100_000
LEAGUES = ["150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900",
           "152200", "152500", "152900"]
KINDS = ["base_region", "base_league", "industry_dept", "online_platform"]


def population(n: int) -> list[dict]:
    rng = random.Random(20260301)
    return [{"id": f"备-2026-{LEAGUES[i % 12][:4]}-{i:06d}", "stratum": f"{LEAGUES[i % 12]}/{KINDS[(i // 12) % 4]}",
             "risk": rng.choice([0] * 12 + [1, 1, 2, 3, 5, 8])} for i in range(n)]


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<44}{elapsed * 1000:>9.1f} ms")
    return result, elapsed


def store(record: dict) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("create table draw (population text, population_hash text, selection text, seed text)")
    db.execute("insert into draw values (?, ?, ?, ?)", (json.dumps(record["population"], ensure_ascii=False),
               record["population_hash"], json.dumps(record["selection"], ensure_ascii=False), record["seed"]))
    db.commit()


def main() -> None:
    items = population(N)
    params = algorithm.DrawParameters(ratio=Decimal("0.02"), minimum=100, random_share=Decimal("0.30"))
    seed = "bench-seed-2026"
    print(f"population: {N:,} trainings in {len({i['stratum'] for i in items})} strata; ratio 2%, random share 30%")
    canonical, t_freeze = timed("freeze: sort into canonical order", lambda: algorithm.canonical_population(items))
    digest, t_hash = timed("freeze: canonical JSON + SHA-256", lambda: algorithm.population_hash(canonical, canonical=True))
    selection, t_draw = timed("draw (HMAC keys, strata, ES weighting)", lambda: algorithm.draw(canonical, seed=seed, params=params,
                                                                                           canonical=True))
    record = {"population": canonical, "population_hash": digest, "selection": selection, "seed": seed}
    _, t_store = timed("store snapshot (SQLite, JSON)", lambda: store(record))
    total = t_freeze + t_hash + t_draw + t_store
    print(f"{'total':<44}{total * 1000:>9.1f} ms   selected {len(selection):,}")
    print("PASS (< 2 s)" if total < 2 else "MISS (>= 2 s)")


if __name__ == "__main__":
    main()

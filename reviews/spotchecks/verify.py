"""Recomputing a stored draw from its frozen snapshot."""

from __future__ import annotations

from reviews.models import RedrawRequest, SpotCheckDraw
from reviews.spotchecks import algorithm


def _published_commitment(draw: SpotCheckDraw) -> str:
    request = RedrawRequest.objects.filter(draw=draw).first()
    return request.seed_commitment if request else draw.campaign.seed_commitment


def draw_problems(draw: SpotCheckDraw) -> list[str]:
    """Everything that does not match; an empty list means the draw verifies."""
    problems = []
    if draw.algorithm_version != algorithm.ALGORITHM_VERSION:
        return [f"算法版本 {draw.algorithm_version} 与本程序的 {algorithm.ALGORITHM_VERSION} 不同，无法复算。"]
    if algorithm.seed_commitment(draw.seed) != draw.seed_commitment:
        problems.append("随机种子与承诺值不符。")
    if draw.seed_commitment != _published_commitment(draw):
        problems.append("承诺值与抽取前公布的不符。")
    if algorithm.population_hash(draw.population) != draw.population_hash:
        problems.append("抽取总体与其 SHA-256 不符（总体被改动）。")
    params = algorithm.DrawParameters.from_dict(draw.parameters)
    selection = algorithm.draw(draw.population, seed=draw.seed, params=params)
    if selection != draw.selection:
        problems.append("按公布的参数、总体和种子复算的抽中结果与记录不符。")
    if algorithm.selection_hash(draw.selection) != draw.selection_hash:
        problems.append("抽中结果与其 SHA-256 不符。")
    stored = list(draw.selections.order_by("rank").values_list("plan__filing_no", flat=True))
    if stored != [s["id"] for s in draw.selection]:
        problems.append("抽中培训清单与抽取记录不符。")
    return problems

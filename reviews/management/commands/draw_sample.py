"""Run the spot-check draw on a population file and print the frozen record as JSON.

    python manage.py draw_sample --population-file pop.json --seed S --ratio 0.05 --min 10 \
        --random-share 0.3 --strata '{"150400": 3, "150600": 2}'

The population file holds a list of {"id", "stratum", "risk"} (or {"items": [...]}).
"""

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from reviews.spotchecks import algorithm


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        result = Decimal(value)
    except InvalidOperation as error:
        raise CommandError(f"{name} 须为 0 到 1 之间的小数：{value}") from error
    if not 0 <= result <= 1:
        raise CommandError(f"{name} 须为 0 到 1 之间的小数：{value}")
    return result


def _load_items(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise CommandError(f"无法读取总体文件 {path}：{error}") from error
    items = data["items"] if isinstance(data, dict) else data
    if not all(isinstance(i, dict) and {"id", "stratum", "risk"} <= i.keys() for i in items):
        raise CommandError("总体文件的每一项须包含 id、stratum、risk。")
    return items


class Command(BaseCommand):
    help = "按公布的算法抽取样本并以 JSON 输出（同样的输入得到同样的结果）。"

    def add_arguments(self, parser):
        parser.add_argument("--population-file", required=True)
        parser.add_argument("--seed", required=True)
        parser.add_argument("--size", type=int)
        parser.add_argument("--ratio")
        parser.add_argument("--min", type=int, default=1)
        parser.add_argument("--random-share", default="0.30")
        parser.add_argument("--strata", default="", help='各层抽取数量，JSON，如 {"150400": 3}')
        parser.add_argument("--no-risk-weighting", action="store_true")

    def handle(self, *args, **options):
        try:
            strata = json.loads(options["strata"]) if options["strata"] else {}
        except ValueError as error:
            raise CommandError(f"--strata 不是合法的 JSON：{error}") from error
        if options["size"] is None and options["ratio"] is None and not strata:
            raise CommandError("请指定 --size、--ratio 或 --strata。")
        params = algorithm.DrawParameters(
            size=options["size"], ratio=_decimal(options["ratio"], "--ratio"), minimum=options["min"],
            random_share=_decimal(options["random_share"], "--random-share"),
            strata={str(k): int(v) for k, v in strata.items()}, risk_weighting=not options["no_risk_weighting"],
        )
        record = algorithm.run(_load_items(options["population_file"]), seed=options["seed"], params=params)
        self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))

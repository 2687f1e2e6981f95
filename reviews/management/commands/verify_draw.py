"""Recompute every draw of a campaign from its stored snapshot; exit 0 if all match, 1 if not."""

from django.core.management.base import BaseCommand, CommandError

from reviews.models import SpotCheckCampaign
from reviews.spotchecks.verify import draw_problems


class Command(BaseCommand):
    help = "复算抽查批次的抽取结果，核对是否与记录一致（一致返回 0，不一致返回 1）。"

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="抽查批次编号")

    def handle(self, *args, **options):
        campaign = SpotCheckCampaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"抽查批次 {options['campaign']} 不存在。", returncode=1)
        draws = list(campaign.draws.order_by("number"))
        if not draws:
            raise CommandError(f"抽查批次 {campaign.pk} 尚未抽取。", returncode=1)
        failed = False
        for draw in draws:
            problems = draw_problems(draw)
            failed = failed or bool(problems)
            status = "一致" if not problems else "不一致：" + "；".join(problems)
            self.stdout.write(f"第{draw.number}次抽取（{draw.algorithm_version}，总体 {draw.population_hash}）：{status}")
        if failed:
            raise CommandError("复算结果与记录不符。", returncode=1)
        self.stdout.write("复算结果与记录一致。")

"""Summary tables of the statistics pages (统计分析): plain rows, rebuilt by a refresh, read by index.

A refresh builds a whole new `Generation` of `Figure` rows beside the live one and swaps it in with
one transaction, so a failed refresh leaves the previous numbers on the pages. A figure is a count
or a sum at the finest division it belongs to (usually the county), stored with the codes of its
league and county (the second and third codes of the division path; the tree is three deep). A page
adds up the rows of the node asked about by an equality on `league` or `county`, so league and
region totals are an indexed read of this table, never a scan of the ledger. Each league also has
roll-up rows (`county` "*", the sum of its rows), which the region's page reads instead of every county's.
"""

from django.db import models


class Generation(models.Model):
    """一次统计计算: when it ran, how long it took, and whether its numbers are the ones shown."""

    class Status(models.TextChoices):
        BUILDING = "building", "计算中"
        LIVE = "live", "当前使用"
        RETIRED = "retired", "已被新结果取代"
        FAILED = "failed", "计算失败"

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.BUILDING)
    started_at = models.DateTimeField("开始时间")
    computed_at = models.DateTimeField("数据截至", null=True, blank=True,
                                       help_text="the moment the source rows were read")
    seconds = models.FloatField("耗时（秒）", null=True, blank=True)
    rows = models.PositiveIntegerField("统计行数", default=0)
    years = models.JSONField("包含年度", default=list)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "统计计算"
        verbose_name_plural = "统计计算"
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="live"),
                                    name="insights_one_live_generation"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class Figure(models.Model):
    """One number: `metric` (and its `key`, e.g. a subject or a kind) for a division, year and month.

    `month` 0 is a figure of the whole year that has no month (compliance, spot checks). `organiser`
    is set on the per-organiser figures (an organiser's own numbers, the by-organiser table).
    """

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="figures")
    league = models.CharField("盟市代码", max_length=6, blank=True, help_text="blank: a region-level figure")
    county = models.CharField("旗县市区代码", max_length=6, blank=True,
                              help_text="blank: above county level; \"*\": the league's roll-up row")
    organiser = models.ForeignKey("jurisdiction.Organisation", null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", default=0)
    metric = models.CharField("指标", max_length=40)
    key = models.CharField("分类", max_length=60, blank=True)
    value = models.BigIntegerField("数值")

    class Meta:
        verbose_name = "统计数"
        verbose_name_plural = "统计数"
        indexes = [
            models.Index(fields=["generation", "year", "league", "county"], name="insights_fig_scope",
                         condition=models.Q(organiser__isnull=True)),
            models.Index(fields=["generation", "organiser", "year"], name="insights_fig_organiser",
                         condition=models.Q(organiser__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.league}/{self.county} {self.metric}[{self.key}]={self.value}"

"""The tables of the statistics pages. Every chart is drawn from its table's own rows, so the chart,
the table under it and the table's Excel export always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from filings.models import Mode, Subject
from insights.figures.hours import SHORT_BANDS
from insights.selectors import PERIODS, Numbers
from jurisdiction.models import Division
from ledger.models import Source
from notifications.deadlines import source_for
from reviews.models import Outcome, ViolationKind

OUTCOME_COLUMNS = [("filed", "提交备案"), ("approved", "同意备案"), ("returned", "退回修改"),
                   ("rejected", "不予备案"), ("withdrawn", "撤回")]
SHORT_LABELS = [label for _, label in SHORT_BANDS] + ["61+"]


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str | None = None              # "bar", "line" or None (table only)
    series: list[int] | None = None       # which columns the chart draws (default: all but the first)
    links: list[str | None] | None = None  # per row: a drill-down URL for the first cell
    note: str = ""

    @property
    def linked_rows(self) -> list[tuple[str | None, list]]:
        links = self.links or []
        return [(links[i] if i < len(links) else None, row) for i, row in enumerate(self.rows)]

    def chart_data(self) -> dict:
        series = self.series or list(range(1, len(self.columns)))
        return {"slug": self.slug, "title": self.title, "type": self.chart,
                "categories": [str(row[0]) for row in self.rows],
                "series": [{"name": self.columns[i], "data": [row[i] for row in self.rows]} for i in series]}


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None (shown as "—") when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None


def median_hours(histogram: dict[str, int]) -> float | None:
    """The median of a histogram of hours (keys are lower bounds: whole hours, then whole days)."""
    items = sorted((int(k), v) for k, v in histogram.items() if v)
    count = sum(v for _, v in items)
    if not count:
        return None
    seen = 0
    for hours, v in items:
        seen += v
        if 2 * seen >= count:
            return float(hours)
    return None


def _months(period: str) -> list[int]:
    return [m for m in PERIODS[period][1] if m]


def division_row(label: str, n: Numbers) -> list:
    """The comparison columns of one node (a child, or the total)."""
    persons, met = n.get("compliance.persons"), n.get("compliance.met")
    on_time, late = n.get("reports.on_time"), n.get("reports.late")
    return [label, n.get("plans.filed"), n.get("plans.approved"), n.get("plans.rejected"),
            n.get("plans.late_exception"), on_time, late, n.get("reports.overdue"),
            n.get("hours.subject", "public"), n.get("hours.subject", "professional"),
            persons, met, rate(met, persons), n.get("spot.drawn"), sum(n.keys("spot.violations").values()),
            n.get("spot.hours_reversed")]


DIVISION_COLUMNS = ["区划", "提交备案", "同意备案", "不予备案", "逾期备案特批", "按时报告", "逾期报告", "逾期未交报告",
                    "核定公需学时", "核定专业学时", "在册专技人员", "学时达标人数", "达标率（%）", "抽中培训",
                    "确认违规", "撤销学时"]


class _Child:
    """Numbers-like view of one child node's sums."""

    def __init__(self, sums):
        self.sums = sums

    def get(self, metric, key=""):
        return self.sums.get(metric, {}).get(key, 0)

    def keys(self, metric):
        return dict(self.sums.get(metric, {}))


def divisions_table(n: Numbers, children: list[Division], link) -> Table:
    table = Table("divisions", "下级区划对比（点击名称查看下级）", DIVISION_COLUMNS, chart="bar", series=[12],
                  links=[])
    known = {c.code for c in children}
    for child in children:
        table.rows.append(division_row(child.name, _Child(n.children.get(child.code, {}))))
        table.links.append(link(child))
    own = [code for code in n.children if code not in known]
    if own:
        merged: dict = {}
        for code in own:
            for metric, keys in n.children[code].items():
                for key, value in keys.items():
                    merged.setdefault(metric, {}).setdefault(key, 0)
                    merged[metric][key] += value
        table.rows.append(division_row("本级", _Child(merged)))
        table.links.append(None)
    table.note = "达标率 = 学时达标人数 ÷ 在册专技人员；“本级”为直接设在本区划的单位。"
    return table


def filings_tables(n: Numbers, period: str) -> list[Table]:
    by_month = Table("filings_by_month", "培训计划备案（按培训开始月份）", ["月份"] + [c for _, c in OUTCOME_COLUMNS],
                     chart="line")
    for month in _months(period):
        by_month.rows.append([f"{month}月"] + [n.monthly[f"plans.{m}"][""][month] for m, _ in OUTCOME_COLUMNS])
    median = median_hours(n.keys("decision.hours"))
    outcomes = Table("filings_outcomes", "备案结果与时效", ["指标", "数量"], chart="bar")
    outcomes.rows = [[label, n.get(f"plans.{m}")] for m, label in OUTCOME_COLUMNS]
    outcomes.rows += [["逾期提交", n.get("plans.late")], ["逾期备案特批", n.get("plans.late_exception")]]
    outcomes.note = ("审核用时中位数（提交至审核决定）："
                     + (f"{median:g} 小时（约 {median / 24:.1f} 天）" if median is not None else "—"))
    kinds = Table("filings_by_kind", "提交备案的计划（按科目与方式）", ["类别", "计划数"], chart="bar")
    kinds.rows = [[label, n.get("plans.subject", value)] for value, label in Subject.choices]
    kinds.rows += [[label, n.get("plans.mode", value)] for value, label in Mode.choices]
    return [by_month, outcomes, kinds]


def organisers_table(n: Numbers, names: dict[int, str], limit: int = 50) -> Table:
    table = Table("filings_by_organiser", f"培训组织单位（按提交备案数，前 {limit} 个）",
                  ["培训组织单位", "提交备案", "同意备案", "退回修改", "不予备案", "撤回", "按时报告", "逾期报告",
                   "逾期未交报告", "核定学时"])
    ranked = sorted(n.organisers.items(), key=lambda item: (-item[1].get("org.filed", 0), names.get(item[0], "")))
    for org_id, m in ranked[:limit]:
        table.rows.append([names.get(org_id, str(org_id))] + [m.get(f"org.{k}", 0) for k, _ in OUTCOME_COLUMNS]
                          + [m.get("org.report_on_time", 0), m.get("org.report_late", 0),
                             m.get("org.report_overdue", 0), m.get("org.hours", 0)])
    return table


def reports_table(n: Numbers) -> Table:
    on_time, late = n.get("reports.on_time"), n.get("reports.late")
    table = Table("reports", "培训情况报告与花名册", ["指标", "数量"], chart="bar")
    table.rows = [["按时提交", on_time], ["逾期提交", late], ["逾期未交", n.get("reports.overdue")],
                  ["其中按规定不予受理", n.get("reports.refused")], ["未到截止时间", n.get("reports.pending")],
                  ["花名册人数", n.get("roster.rows")], ["花名册异常行", n.get("roster.anomalies")],
                  ["有异常的培训", n.get("roster.plans_with_anomalies")]]
    table.note = "按时率：" + _pct(rate(on_time, on_time + late))
    return table


def hours_tables(n: Numbers, period: str) -> list[Table]:
    by_month = Table("hours_by_month", "核定学时（按核定月份）", ["月份", "公需科目", "专业科目", "冲销"], chart="bar")
    for month in _months(period):
        by_month.rows.append([f"{month}月", n.monthly["hours.subject"]["public"][month],
                              n.monthly["hours.subject"]["professional"][month],
                              sum(n.monthly["hours.reversed"][k][month] for k in ("public", "professional"))])
    by_source = Table("hours_by_source", "核定学时（按来源）", ["来源", "学时"], chart="bar")
    by_source.rows = [[label, n.get("hours.source", value)] for value, label in Source.choices
                      if n.get("hours.source", value)]
    return [by_month, by_source]


def compliance_tables(n: Numbers) -> list[Table]:
    persons, met = n.get("compliance.persons"), n.get("compliance.met")
    summary = Table("compliance", "年度学时达标（学时年度，按人员所在区划）", ["指标", "数值"])
    summary.rows = [["在册专技人员", persons], ["学时达标（公需、专业、合计均达到）", met],
                    ["公需科目达标", n.get("compliance.met_public")],
                    ["专业科目达标", n.get("compliance.met_professional")],
                    ["未达标人数", persons - met], ["未达标者合计差额学时", n.get("compliance.short_hours")],
                    ["达标率（%）", rate(met, persons)]]
    summary.note = "年度学时要求按各区划当年生效的规则集读取（公需、专业、合计三项）；统计全年，不随期间变化。"
    short = Table("compliance_short", "未达标人员（按差额学时）", ["差额学时", "人数"], chart="bar")
    short.rows = [[label, n.get("compliance.short", label)] for label in SHORT_LABELS]
    return [summary, short]


def spotcheck_table(n: Numbers) -> Table:
    table = Table("spotchecks", "抽查（按培训年度）", ["指标", "数量"], chart="bar")
    table.rows = [["抽查批次", n.get("spot.campaigns")], ["抽中培训", n.get("spot.drawn")],
                  ["已检查", n.get("spot.inspected")]]
    table.rows += [[f"检查结论：{label}", n.get("spot.outcome", value)] for value, label in Outcome.choices]
    table.rows += [[f"确认违规：{label}", n.get("spot.violations", value)] for value, label in ViolationKind.choices]
    table.rows += [["撤销学时", n.get("spot.hours_reversed")]]
    return table


def overdue_table(n: Numbers) -> Table:
    table = Table("overdue", "截止事项：逾期未办与已发提醒（按截止月份）", ["事项", "逾期未办", "已发提醒（人次）"],
                  chart="bar")
    overdue, sent = n.keys("overdue.kind"), n.keys("reminders.sent")
    for kind in sorted(set(overdue) | set(sent)):
        source = source_for(kind)
        table.rows.append([source.label if source else "其他事项", overdue.get(kind, 0), sent.get(kind, 0)])
    table.note = ("逾期未办：统计时截止时间已过、系统中仍未办结的事项（每个事项按负责单位计一次）；"
                  "整改期限类事项系统不记录整改完成情况，期限已过即计入。已发提醒：发给各单位人员的提醒条数。")
    return table


def organiser_tables(n: Numbers, period: str) -> list[Table]:
    by_month = Table("filings_by_month", "本单位培训计划与核定学时（按月份）",
                     ["月份"] + [c for _, c in OUTCOME_COLUMNS] + ["核定学时"], chart="line")
    for month in _months(period):
        by_month.rows.append([f"{month}月"] + [n.monthly[f"org.{m}"][""][month] for m, _ in OUTCOME_COLUMNS]
                             + [n.monthly["org.hours"][""][month]])
    on_time, late, overdue = n.get("org.report_on_time"), n.get("org.report_late"), n.get("org.report_overdue")
    summary = Table("own_summary", "本单位汇总", ["指标", "数值"])
    summary.rows = [[label, n.get(f"org.{m}")] for m, label in OUTCOME_COLUMNS]
    summary.rows += [["按时报告", on_time], ["逾期报告", late], ["逾期未交报告", overdue],
                     ["报告按时率（%）", rate(on_time, on_time + late + overdue)], ["核定学时", n.get("org.hours")]]
    return [summary, by_month]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"

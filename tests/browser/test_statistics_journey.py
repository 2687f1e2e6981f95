"""A league reviewer opens the statistics page: the charts are drawn (SVG with data) and match their tables."""

from pathlib import Path

import pytest

from insights.services import statistics_refresh
from tests.browser.conftest import login
from tests.insights.conftest import REFRESH_AT, build_stats_world

ECHARTS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "echarts" / "echarts.min.js"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _table(page, slug: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"#table-{slug} tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))")


def _chart(page, slug: str) -> dict:
    return page.evaluate("""slug => {
        const chart = echarts.getInstanceByDom(document.getElementById('chart-' + slug));
        const option = chart.getOption();
        return {categories: option.xAxis[0].data, series: option.series.map(s => ({name: s.name, data: s.data}))};
    }""", slug)


def test_a_league_reviewer_sees_charts_drawn_from_the_numbers_in_their_tables(
        browser_page, owner, outsider, reviewer, reviewer_other_league, region_bureau, owner_org, outsider_org):
    build_stats_world(owner, outsider, reviewer, reviewer_other_league, owner_org, outsider_org)
    statistics_refresh(now=REFRESH_AT)
    assert ECHARTS.exists(), "ECharts is not in static/vendor/: run scripts/build-assets (scripts/test does)"
    page = browser_page
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    login(page, "reviewer")
    page.click("nav.mainnav >> text=统计分析")
    page.wait_for_selector("#chart-filings_by_month[data-drawn='1'] svg")
    page.shot("statistics-league")
    assert "赤峰市" in page.inner_text("h1")
    assert "数据截至" in page.inner_text("#stats-computed")

    # the line chart of filings by month is an SVG with a drawn path, and its data are the table's
    assert page.locator("#chart-filings_by_month svg path").count() > 5
    rows = _table(page, "filings_by_month")
    chart = _chart(page, "filings_by_month")
    assert chart["categories"] == [row[0] for row in rows]
    for i, series in enumerate(chart["series"], start=1):
        assert [str(v) for v in series["data"]] == [row[i] for row in rows], series["name"]
    assert sum(chart["series"][0]["data"]) == 6

    # the counties' compliance bars: Songshan's rate is the table's
    rows = {row[0]: row for row in _table(page, "divisions")}
    chart = _chart(page, "divisions")
    rates = dict(zip(chart["categories"], chart["series"][0]["data"], strict=True))
    assert str(rates["松山区"]) == rows["松山区"][12] == "28.6"

    # drill down to the county by clicking its name
    page.click("#table-divisions >> text=松山区")
    page.wait_for_selector("#chart-filings_outcomes[data-drawn='1'] svg")
    assert "松山区" in page.inner_text("h1")
    page.shot("statistics-county")
    # the content security policy let everything the charts need through (no inline script or style)
    assert not [line for line in console if "Content Security Policy" in line or line.startswith("error")], console

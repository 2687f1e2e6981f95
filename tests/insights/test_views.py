"""The statistics pages, exports and the annual report, as the owner, a reviewer of the node, and outsiders."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from insights.services import statistics_refresh
from jurisdiction.models import Division
from tests.insights.conftest import REFRESH_AT

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("insights:overview")


@pytest.fixture
def refreshed(stats_world):
    return statistics_refresh(now=REFRESH_AT)


def charts(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="insights-charts" type="application/json">') + len(
        '<script id="insights-charts" type="application/json">')
    return {c["slug"]: c for c in json.loads(html[start:html.index("</script>", start)])}


def table(response, slug: str):
    return next(t for t in response.context["page"].tables if t.slug == slug)


def sheet_rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_a_league_reviewer_sees_the_league_with_its_counties_and_when_it_was_computed(client, reviewer, refreshed):
    client.force_login(reviewer)
    response = client.get(OVERVIEW, {"year": 2026})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.division.code == "150400"
    assert "数据截至" in response.content.decode()
    divisions = table(response, "divisions")
    counties = list(Division.objects.filter(parent_id="150400").order_by("code").values_list("name", flat=True))
    assert [row[0] for row in divisions.rows] == [*counties, "本级"]
    rows = dict(zip([row[0] for row in divisions.rows], divisions.linked_rows, strict=True))
    link, songshan = rows["松山区"]
    assert "division=150404" in link and songshan[1] == 6
    assert rows["红山区"][1][1] == 0 and rows["本级"][0] is None
    assert page.headline["filed"] == 6 and page.headline["persons"] == 7 and page.headline["met"] == 2


def test_the_chart_data_are_the_tables_numbers(client, reviewer, refreshed):
    client.force_login(reviewer)
    response = client.get(OVERVIEW, {"year": 2026})
    data = charts(response)
    by_month = table(response, "filings_by_month")
    assert data["filings_by_month"]["categories"] == [row[0] for row in by_month.rows]
    assert data["filings_by_month"]["series"][0]["data"] == [row[1] for row in by_month.rows]
    assert sum(data["filings_by_month"]["series"][0]["data"]) == 6
    assert data["divisions"]["categories"][-1] == "本级"
    rates = dict(zip(data["divisions"]["categories"], data["divisions"]["series"][0]["data"], strict=True))
    assert rates["松山区"] == round(100 * 2 / 7, 1)


def test_drilling_down_to_a_county(client, reviewer, refreshed):
    client.force_login(reviewer)
    response = client.get(OVERVIEW, {"year": 2026, "division": "150404"})
    assert response.status_code == 200
    assert response.context["page"].division.name == "松山区"
    assert [d.code for d in response.context["page"].trail] == ["150400", "150404"]
    assert "divisions" not in {t.slug for t in response.context["page"].tables}


def test_the_region_sees_every_league_and_drills_into_one(client, inspector, refreshed):
    client.force_login(inspector)
    response = client.get(OVERVIEW, {"year": 2026})
    rows = {row[0]: row for row in table(response, "divisions").rows}
    assert rows["赤峰市"][1] == 6 and rows["鄂尔多斯市"][1] == 2 and rows["呼和浩特市"][1] == 0
    assert client.get(OVERVIEW, {"year": 2026, "division": "150600"}).context["page"].headline["filed"] == 2


def test_a_league_bureau_never_sees_another_leagues_numbers(client, reviewer, refreshed):
    client.force_login(reviewer)
    assert client.get(OVERVIEW, {"division": "150600"}).status_code == 404
    assert client.get(OVERVIEW, {"division": "150000"}).status_code == 404
    assert client.get(OVERVIEW, {"division": "150602"}).status_code == 404
    export = reverse("insights:export", args=["filings_by_month"])
    assert client.get(export, {"division": "150600", "year": 2026}).status_code == 404
    assert client.get(reverse("insights:annual_xlsx"), {"division": "150600", "year": 2026}).status_code == 404
    assert client.get(reverse("insights:annual_print"), {"division": "150000", "year": 2026}).status_code == 404
    page = client.get(OVERVIEW, {"year": 2026})
    assert "鄂尔多斯" not in page.content.decode()
    organisers = table(page, "filings_by_organiser")
    assert [row[0] for row in organisers.rows] == ["赤峰市继续教育基地"]


def test_an_organiser_sees_only_its_own_numbers(client, owner, outsider, refreshed):
    client.force_login(owner)
    response = client.get(OVERVIEW, {"year": 2026})
    assert response.status_code == 200
    summary = dict((row[0], row[1]) for row in table(response, "own_summary").rows)
    assert summary["提交备案"] == 6 and summary["同意备案"] == 4 and summary["按时报告"] == 1
    assert summary["逾期未交报告"] == 1 and summary["报告按时率（%）"] == 50.0
    assert summary["核定学时"] == 3 * 24
    assert client.get(OVERVIEW, {"division": "150400"}).context["page"].division is None
    client.force_login(outsider)
    summary = dict((row[0], row[1]) for row in table(client.get(OVERVIEW, {"year": 2026}), "own_summary").rows)
    assert summary["提交备案"] == 2 and summary["核定学时"] == 0
    assert client.get(reverse("insights:annual_xlsx"), {"year": 2026}).status_code == 404


def test_a_professional_sees_nothing_new(client, professional, refreshed):
    client.force_login(professional)
    assert client.get(OVERVIEW).status_code == 404
    assert "统计分析" not in client.get(reverse("home")).content.decode()


def test_the_navigation_offers_statistics_to_reviewers_and_organisers(client, reviewer, owner, refreshed):
    for user in (reviewer, owner):
        client.force_login(user)
        assert f'href="{OVERVIEW}"' in client.get(reverse("home")).content.decode()


def test_before_the_first_refresh_the_page_says_so(client, reviewer, stats_world):
    client.force_login(reviewer)
    response = client.get(OVERVIEW)
    assert response.status_code == 200 and "统计数据尚未生成" in response.content.decode()
    assert client.get(reverse("insights:export", args=["reports"])).status_code == 404


def test_a_bad_year_or_period_is_refused(client, reviewer, refreshed):
    client.force_login(reviewer)
    assert client.get(OVERVIEW, {"year": "二〇二六"}).status_code == 404
    assert client.get(OVERVIEW, {"period": "q5"}).status_code == 404
    assert client.get(reverse("insights:export", args=["nonsense"]), {"year": 2026}).status_code == 404


def test_each_table_exports_the_same_numbers_and_is_audited(client, reviewer, refreshed):
    client.force_login(reviewer)
    page = client.get(OVERVIEW, {"year": 2026}).context["page"]
    for shown in page.tables:
        response = client.get(reverse("insights:export", args=[shown.slug]), {"year": 2026})
        assert response.status_code == 200
        rows = sheet_rows(response)
        assert rows[0][0] == shown.title and "赤峰市" in rows[1][0]
        assert rows[2] == shown.columns
        body = [[("—" if v is None else v) for v in row] for row in shown.rows]
        assert rows[3:3 + len(shown.rows)] == body
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=reviewer).count() == len(page.tables)


def test_exports_write_formula_like_names_as_text(client, inspector, refreshed, outsider_org):
    outsider_org.name = "=HYPERLINK(\"http://evil\",\"x\")"
    outsider_org.save()
    client.force_login(inspector)
    response = client.get(reverse("insights:export", args=["filings_by_organiser"]), {"year": 2026})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=4)]
    hostile = next(c for c in cells if c.value == "=HYPERLINK(\"http://evil\",\"x\")")  # no visible apostrophe
    assert hostile.data_type == "s" and hostile.quotePrefix  # text, never a formula (sheets.cells)
    assert all(c.data_type != "f" for c in cells)


def test_the_annual_report_has_the_header_block_a_row_per_league_and_a_total(client, inspector, refreshed):
    client.force_login(inspector)
    response = client.get(reverse("insights:annual_xlsx"), {"year": 2026})
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert rows[0][0] == "2026年度专业技术人员继续教育统计报表"
    header = rows[2][0]
    assert "主管部门（公章）" in header and "填表时间" in header and "联系人" in header
    body = {row[0]: row for row in rows[4:20] if row[0]}
    assert body["赤峰市"][1] == 6 and body["鄂尔多斯市"][1] == 2
    assert body["合计"][1] == 8 and body["合计"][10] == 8 and body["合计"][11] == 3
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target__startswith="statistics:annual").exists()


def test_the_annual_report_print_page_needs_no_inline_script_or_style(client, reviewer, refreshed):
    client.force_login(reviewer)
    response = client.get(reverse("insights:annual_print"), {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "主管部门（公章）" in html and "填表时间" in html and "联系人" in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "onclick" not in html and "<style" not in html and ' style="' not in html
    assert response.context["report"]["total"][1] == 6


def test_the_statistics_page_has_no_inline_script_or_style(client, reviewer, refreshed):
    client.force_login(reviewer)
    response = client.get(OVERVIEW, {"year": 2026})
    html = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert ' style="' not in html and "<style" not in html
    scripts = [part.split(">", 1)[0] for part in html.split("<script")[1:]]
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts)

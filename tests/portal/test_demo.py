"""The demo data: a spot check can be tried at once, with strata in several leagues, and every demo role's
home page has something to do."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from filings.models import PlanState, TrainingPlan
from jurisdiction.models import Division
from portal.demo import DEMO_PASSWORD, seed_demo
from reviews.models import InspectorAssignment, SpotCheckCampaign
from reviews.spotchecks import draws, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    seed_demo()


def test_there_are_inspectors_at_the_region_in_each_league_and_in_a_county(demo):
    inspectors = User.objects.filter(role=Role.INSPECTOR).select_related("organisation__division")
    levels = [u.organisation.division.level for u in inspectors]
    assert levels.count(Division.Level.REGION) >= 2
    assert levels.count(Division.Level.LEAGUE) >= 5 and Division.Level.COUNTY in levels


def test_finished_trainings_in_five_leagues_make_the_strata_visible(demo):
    finished = TrainingPlan.objects.filter(state__in=[PlanState.AWAITING_REPORT, PlanState.REPORTED,
                                                      PlanState.CERTIFIED])
    leagues = {p.organiser.division.path.split("/")[1] for p in finished.select_related("organiser__division")}
    assert len(leagues) >= 5 and finished.filter(state=PlanState.REPORTED).count() >= 5


def test_the_demo_inspector_draws_the_demo_campaign_at_once(demo, capsys):
    inspector = User.objects.get(username="inspector")
    campaign = SpotCheckCampaign.objects.get(state="open", created_by=inspector)
    assert campaign.is_sealed
    draw = draws.campaign_draw(campaign=campaign, actor=inspector)
    strata = {s["stratum"] for s in draw.selection}
    assert strata == {"150100", "150200", "150400", "150600", "152500"}
    for selection in selectors.current_selections(campaign):
        team = list(selectors.active_assignments(selection))
        assert len(team) == 2
    call_command("verify_draw", str(campaign.pk))
    assert "一致" in capsys.readouterr().out


def test_a_new_campaign_draws_from_the_demo_too(demo):
    inspector = User.objects.get(username="inspector2")
    campaign, _ = draws.campaign_create(actor=inspector, data={
        "name": "全区抽查", "division": Division.objects.get(code="150000"), "year": campaign_year(),
        "sample_size": 8})
    draw = draws.campaign_draw(campaign=campaign, actor=inspector)
    assert len(draw.selection) == 8 and len({s["stratum"] for s in draw.selection}) == 1  # not stratified


def test_the_county_inspectors_have_trainings_to_check(demo):
    for username in ("inspector_songshan", "inspector_hongshan"):
        assert InspectorAssignment.objects.filter(inspector__username=username, ended_at__isnull=True).count() == 1


def test_a_county_inspector_reaches_the_assigned_training_from_the_home_page(client, demo):
    client.login(username="inspector_songshan", password=DEMO_PASSWORD)
    body = client.get(reverse("home")).content.decode()
    link = re.search(r'href="(/spot-checks/selections/\d+/)">待录入检查情况：', body)
    assert link, "no link to the assigned training"
    page = client.get(link.group(1))
    assert page.status_code == 200 and "检查情况" in page.content.decode()


def campaign_year():
    return TrainingPlan.objects.filter(state=PlanState.REPORTED).first().starts_at.year


@pytest.mark.parametrize("username, todo", [
    ("organiser", "待提交培训报告"), ("reviewer", "待处理：培训报告审核"), ("reviewer_region", "待处理：培训计划审核"),
    ("inspector", "待抽取的抽查批次"), ("inspector_songshan", "待录入检查情况"), ("professional", "学时"),
    ("title_office", "批量审验学时"), ("admin", "系统管理：账号"),
])
def test_each_role_home_page_shows_something_to_do(client, demo, username, todo):
    client.login(username=username, password=DEMO_PASSWORD)
    body = client.get(reverse("home")).content.decode()
    assert todo in body and "目前没有等待您处理的事项" not in body
    assert not re.search(rf"{todo}[^<]*</a> <strong>0</strong>", body), "nothing to do after all"

import pytest
from django.urls import reverse

from accounts.models import Role
from portal.demo import DEMO_PASSWORD, USERS, seed_demo

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "用户登录" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_wrong_password_says_so_in_chinese(client):
    seed_demo()
    response = client.post(reverse("login"), {"username": "reviewer", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_each_demo_role_logs_in_and_lands_on_its_home_page(client):
    seed_demo()  # once: the demo walks real trainings through the services
    for username, _, role, _ in USERS:
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("home")
        body = response.content.decode()
        assert f"{Role(role).label}工作台" in body, username
        client.logout()


def test_seed_demo_is_safe_to_run_twice():
    from accounts.models import User
    from filings.models import TrainingPlan
    from reviews.models import SpotCheckCampaign

    seed_demo()
    first = (User.objects.count(), TrainingPlan.objects.count(), SpotCheckCampaign.objects.count())
    seed_demo()
    assert (User.objects.count(), TrainingPlan.objects.count(), SpotCheckCampaign.objects.count()) == first
    assert first[0] == len(USERS)


def test_navigation_shows_the_admin_link_only_to_administrators(client):
    seed_demo()
    client.login(username="organiser", password=DEMO_PASSWORD)
    assert "系统管理" not in client.get(reverse("home")).content.decode()
    client.login(username="admin", password=DEMO_PASSWORD)
    assert "系统管理" in client.get(reverse("home")).content.decode()


def test_password_change_page_is_in_chinese(client):
    seed_demo()
    client.login(username="organiser", password=DEMO_PASSWORD)
    assert "修改密码" in client.get(reverse("password_change")).content.decode()


def test_home_panels_are_collected_from_the_apps_in_installed_order():
    from filings.home import plan_counts
    from notifications.home import deadline_radar
    from portal.selectors import _app_panels
    from reviews.home import review_counts

    panels = list(_app_panels())
    assert [p for p in panels if p in (plan_counts, review_counts, deadline_radar)] == [
        plan_counts, review_counts, deadline_radar]


def test_seed_demo_adds_the_demo_plans():
    from filings.models import TrainingPlan

    seed_demo()
    assert TrainingPlan.objects.filter(organiser__name="赤峰市专业技术人员继续教育基地").exists()


def test_the_top_bar_folds_the_account_under_the_name_and_keeps_sign_out_in_view(client, reviewer):
    client.force_login(reviewer)
    body = client.get("/").content.decode()
    bar = body[body.index('<header class="topbar">'):body.index("</header>")]
    menu = bar[bar.index('<details class="account-menu">'):bar.index("</details>")]
    assert f"<summary title=\"审核人员·{reviewer.organisation}\">{reviewer}</summary>" in menu
    assert "修改密码" in menu
    assert "退出" in bar[bar.index("</details>"):]

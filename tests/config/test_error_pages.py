"""Error pages speak Chinese, say why when our code gave a reason, and a database outage is a 503."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.error_urls")]


@pytest.fixture
def signed_in(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="someone", role="professional"))
    return client


def test_a_refusal_shows_its_reason_in_the_layout(signed_in):
    response = signed_in.get("/fail/refuse/")
    text = response.content.decode()
    assert response.status_code == 403
    assert "无权进行此操作" in text and "只有本计划培训组织单位的经办人可以上传花名册。" in text
    assert "退出" in text  # the base layout with the user's navigation


def test_not_found_is_chinese_and_hides_djangos_english_reason(signed_in):
    response = signed_in.get("/fail/missing/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and "TrainingPlan" not in text


def test_an_unknown_url_is_a_chinese_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_database_outage_is_503_with_retry_after():
    response = Client(raise_request_exception=False).get("/fail/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "系统暂时无法访问" in response.content.decode() and "约 15 秒后重试" in response.content.decode()


def test_a_bug_is_a_chinese_500_without_details():
    response = Client(raise_request_exception=False).get("/fail/broken/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in text and "a bug" not in text

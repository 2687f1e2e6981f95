"""The admin speaks Chinese and shows the records an administrator looks up, read-only."""

import pytest
from django.urls import reverse

from filings import services
from tests.factories import UserFactory
from tests.filings.conftest import NOW, TEACHERS, plan_data


@pytest.fixture
def superuser(db):
    return UserFactory(username="root-admin", role="admin", organisation=None, is_staff=True, is_superuser=True)


@pytest.fixture
def submitted(owner, chifeng_bureau):
    plan = services.plan_create(actor=owner, data=plan_data(), teachers=TEACHERS, now=NOW)
    return services.plan_submit(plan=plan, actor=owner, now=NOW)


def test_the_admin_index_names_every_app_in_chinese(client, superuser, submitted):
    client.force_login(superuser)
    body = client.get(reverse("admin:index")).content.decode()
    assert "专业技术人员继续教育管理后台" in body
    for english in ("Django 管理", "Django administration", ">Ledger<", ">Rules<", ">Workflow<", "Process list"):
        assert english not in body, english
    for chinese in ("学时台账", "学时规则与审验", "培训备案", "审核与抽查", "流程任务"):
        assert chinese in body, chinese


@pytest.mark.parametrize("model", ["filings_trainingplan", "rules_ruleset", "reviews_spotcheckcampaign",
                                   "accounts_auditevent", "filings_trainingreport", "filings_attachment",
                                   "filings_latefilingexception", "reviews_lateexceptionrequest",
                                   "reviews_inspection", "reviews_organiserviolation", "viewflow_process",
                                   "viewflow_task", "accounts_backupcodes"])
def test_the_records_a_clerk_looks_up_are_listed_and_read_only(client, superuser, submitted, model):
    client.force_login(superuser)
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_a_plans_history_shows_in_its_admin_page(client, superuser, submitted):
    client.force_login(superuser)
    body = client.get(reverse("admin:filings_trainingplan_change", args=[submitted.pk])).content.decode()
    assert submitted.filing_no in body
    assert "待审核" in body


def test_review_tasks_show_their_status_in_chinese(client, superuser, submitted):
    client.force_login(superuser)
    body = client.get(reverse("admin:viewflow_task_changelist")).content.decode()
    assert "待处理" in body
    assert ">New<" not in body


def test_rule_sets_are_named_by_their_notice_not_their_code(client, superuser, submitted):
    client.force_login(superuser)
    body = client.get(reverse("admin:rules_ruleset_changelist")).content.decode()
    assert "自治区2026年继续教育工作通知" in body
    assert "nmg-2026" not in body


def test_a_review_process_lists_its_steps_by_their_chinese_titles(client, superuser, submitted):
    from viewflow.workflow.models import Process

    client.force_login(superuser)
    process = Process.objects.get()
    body = client.get(reverse("admin:viewflow_process_change", args=[process.pk])).content.decode()
    assert "培训计划审核" in body
    assert "提交审核" in body
    assert "planreview" not in body and "workflows/flows" not in body
    listing = client.get(reverse("admin:viewflow_process_changelist")).content.decode()
    assert "培训计划审核" in listing and ">编号<" in listing and ">PK<" not in listing
    task = process.task_set.order_by("pk").first()
    response = client.get(reverse("admin:viewflow_task_change", args=[task.pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:viewflow_process_change", args=[process.pk])


def test_a_users_page_offers_no_per_model_permissions(client, superuser):
    client.force_login(superuser)
    body = client.get(reverse("admin:accounts_user_change", args=[superuser.pk])).content.decode()
    assert "单位与角色" in body
    assert "user_permissions" not in body
    assert "Can add" not in body


def test_the_admin_never_shows_a_sealed_seed(client, superuser, inspector):
    from jurisdiction.models import Division
    from reviews.spotchecks import draws

    campaign, seed = draws.campaign_create(actor=inspector, data={
        "name": "密封种子批次", "division": Division.objects.get(code="150000"), "year": 2026, "sample_size": 1})
    client.force_login(superuser)
    page = client.get(reverse("admin:reviews_spotcheckcampaign_change", args=[campaign.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "密封种子批次" in body and campaign.seed_commitment in body
    assert seed not in body and campaign.sealed_seed not in body

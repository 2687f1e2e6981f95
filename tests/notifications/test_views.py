import pytest
from django.urls import reverse

from notifications.models import ChannelPreference, Notification
from tests.notifications.conftest import at


@pytest.fixture
def message(owner):
    return Notification.objects.create(user=owner, title="培训计划备案截止（还有3天截止）", body="请提交。")


def test_the_inbox_lists_only_the_users_own_messages(client, owner, outsider, message):
    client.force_login(owner)
    assert message.title in client.get(reverse("notifications:inbox")).content.decode()
    client.force_login(outsider)
    assert message.title not in client.get(reverse("notifications:inbox")).content.decode()


def test_the_owner_marks_a_message_read_and_an_outsider_cannot(client, owner, outsider, message):
    client.force_login(outsider)
    client.post(reverse("notifications:mark_read", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at is None
    client.force_login(owner)
    client.post(reverse("notifications:mark_read", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at is not None


def test_the_unread_count_is_given_to_templates(rf, owner, message):
    from notifications.context_processors import unread_notifications

    request = rf.get("/")
    request.user = owner
    assert unread_notifications(request) == {"notifications_unread": 1}


def test_preferences_are_saved_per_kind(client, reviewer):
    client.force_login(reviewer)
    assert "提醒方式设置" in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"), {"on": ["plan_review:sms"]})
    chosen = dict(ChannelPreference.objects.filter(user=reviewer, kind="plan_review")
                  .values_list("channel", "enabled"))
    assert chosen == {"email": False, "sms": True}


def test_the_home_page_shows_the_users_deadlines(client, owner, outsider, draft_plan):
    import time_machine

    client.force_login(owner)
    with time_machine.travel(at(3, 10), tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "备案截止" in page and "剩7天" in page
    client.force_login(outsider)
    with time_machine.travel(at(3, 10), tick=False):
        assert "备案截止" not in client.get(reverse("home")).content.decode()


# Pinned from a run; when a change moves it, look at the captured queries and update it knowingly.
INBOX_QUERIES = 10


def test_the_inbox_takes_a_fixed_number_of_queries(client, owner, message):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(owner)
    counts = []
    for more in (0, 9):
        Notification.objects.bulk_create(Notification(user=owner, title=f"消息{i}", body="请处理。") for i in range(more))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        counts.append(len(ctx))
    assert counts == [INBOX_QUERIES, INBOX_QUERIES]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)",
                                    "javascript://%0aalert(1)"])
def test_marking_read_never_redirects_off_site_nor_fails(client, owner, message, target):
    client.force_login(owner)
    response = client.post(reverse("notifications:mark_read", args=[message.pk]), {"next": target})
    assert response.status_code == 302 and response.url == reverse("notifications:inbox")
    message.refresh_from_db()
    assert message.read_at is not None


def test_marking_read_follows_a_next_on_this_site(client, owner, message):
    client.force_login(owner)
    response = client.post(reverse("notifications:mark_read", args=[message.pk]), {"next": "/plans/"})
    assert response.url == "/plans/"

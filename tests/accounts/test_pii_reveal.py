"""Unmasking: the full ID number only with accounts.view_full_personal_data, and an audit row each time."""

import pytest
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.test import RequestFactory

from accounts.models import AuditEvent, Role
from accounts.pii import pii_reveal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ID = "150404198506120011"
MASKED = "150404********0011"


def grant(user):
    user.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    return type(user).objects.get(pk=user.pk)  # a fresh instance: the permission cache is per instance


def unmasks():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK)


def test_it_shows_the_full_number_to_a_holder_of_the_permission_and_logs_each_showing(reviewer):
    holder = grant(reviewer)
    request = RequestFactory().get("/x", REMOTE_ADDR="10.1.2.3")
    assert pii_reveal(user=holder, value=ID, target="roster_entry:7", request=request) == ID
    assert pii_reveal(user=holder, value=ID, target="roster_entry:7") == ID
    assert unmasks().count() == 2
    event = unmasks().filter(ip="10.1.2.3").get()
    assert (event.actor, event.target, event.detail) == (holder, "roster_entry:7", {"field": "id_number"})
    assert ID not in str(event.detail)


def test_without_the_permission_it_masks_and_logs_nothing(reviewer, owner):
    for user in (reviewer, owner, None):
        assert pii_reveal(user=user, value=ID, target="roster_entry:7") == MASKED
    assert not unmasks().exists()


def test_an_inactive_holder_sees_the_masked_value(reviewer):
    holder = grant(reviewer)
    holder.is_active = False
    assert pii_reveal(user=holder, value=ID, target="x") == MASKED


def test_a_superuser_holds_it_implicitly():
    superuser = UserFactory(role=Role.ADMIN, organisation=None, is_superuser=True)
    assert pii_reveal(user=superuser, value=ID, target="x") == ID
    assert unmasks().count() == 1


def test_an_empty_value_is_neither_shown_nor_logged(reviewer):
    assert pii_reveal(user=grant(reviewer), value="", target="x") == ""
    assert not unmasks().exists()


def test_the_template_tags_reveal_or_mask_and_name_the_target(reviewer, owner):
    template = Template("{% load pii_reveal %}[{% reveal_id value target %}][{% reveal_phone phone target %}]")
    context = {"value": ID, "phone": "13812345678", "target": owner}
    assert template.render(Context({**context, "user": owner})) == f"[{MASKED}][138****5678]"
    assert template.render(Context({**context, "user": grant(reviewer)})) == f"[{ID}][13812345678]"
    assert list(unmasks().values_list("target", flat=True)) == [f"accounts.user:{owner.pk}"] * 2


def test_the_tag_escapes_what_it_shows(reviewer):
    html = Template("{% load pii_reveal %}{% reveal_id value 't' %}").render(
        Context({"value": "<b>1</b>", "user": grant(reviewer)}))
    assert html == "&lt;b&gt;1&lt;/b&gt;"

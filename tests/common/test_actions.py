"""common.actions: the safe next page, and one refusal flashed instead of a server error."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from common.actions import run_service, safe_next_url

HOSTILE = ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "\\\\evil.example", "http:evil", "abc",
           "plans:plan_list", "9" * 40,
           " javascript:alert(1)", "data:text/html,<script>", "https://testserver.evil.example/"]


def post(data):
    request = RequestFactory().post("/x/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("target", HOSTILE)
def test_a_next_leaving_the_site_goes_to_the_default(target):
    assert safe_next_url(post({"next": target}), "/inbox/") == "/inbox/"


@pytest.mark.parametrize("target", ["/plans/7/", "/notifications/?page=2", "http://testserver/plans/"])
def test_a_next_on_this_site_is_followed(target):
    assert safe_next_url(post({"next": target}), "/inbox/") == target


def test_a_refusal_is_flashed_and_the_redirect_is_safe():
    request = post({"next": "javascript:alert(1)"})

    def refuse():
        raise ValidationError(["第一条", "第二条"])

    response = run_service(request, refuse, success="成功", then="/inbox/", follow_next=True)
    assert response.status_code == 302 and response.url == "/inbox/"
    assert [str(m) for m in get_messages(request)] == ["第一条；第二条"]


def test_a_success_text_can_use_the_result():
    request = post({})
    response = run_service(request, lambda: 41 + 1, success=lambda n: f"共 {n} 条", then="/done/")
    assert response.url == "/done/" and [str(m) for m in get_messages(request)] == ["共 42 条"]


def test_a_permission_refusal_is_not_swallowed_unless_asked():
    def deny():
        raise PermissionDenied("不可以")

    with pytest.raises(PermissionDenied):
        run_service(post({}), deny, success=None, then="/x/")
    request = post({})
    run_service(request, deny, success=None, then="/x/", refusals=(ValidationError, PermissionDenied))
    assert [str(m) for m in get_messages(request)] == ["不可以"]

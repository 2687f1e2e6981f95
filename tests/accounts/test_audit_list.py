"""The audit-event list: inspectors see their node's users' events, administrators all; searched,
filtered, paged, exported (the export itself audited); other roles refused."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/accounts/audit/"


@pytest.fixture
def events(reviewer, reviewer_other_league, owner):
    audit_record(kind=AuditEvent.Kind.UNMASK, actor=reviewer, target="ledger.person:5", field="id_number")
    audit_record(kind=AuditEvent.Kind.TRANSITION, actor=owner, target="备-2026-1504-00001", action="submit")
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=reviewer_other_league, target="batch:OTHER")


def test_an_inspector_sees_the_events_of_users_below_and_reads_targets_in_chinese(client, inspector, events):
    client.force_login(inspector)
    body = client.get(URL).content.decode()
    assert "专业技术人员 5" in body and "ledger.person" not in body
    assert "备-2026-1504-00001" in body and "batch:OTHER" in body  # the region sees both leagues


def test_a_league_inspector_sees_only_the_league(client, chifeng_bureau, events):
    league_inspector = UserFactory(username="inspector_cf", role=Role.INSPECTOR, organisation=chifeng_bureau)
    client.force_login(league_inspector)
    body = client.get(URL).content.decode()
    assert "备-2026-1504-00001" in body and "batch:OTHER" not in body


def test_search_kind_and_dates_filter(client, inspector, events):
    client.force_login(inspector)
    assert "batch:OTHER" not in client.get(URL, {"kind": "unmask"}).content.decode()
    body = client.get(URL, {"q": "备-2026"}).content.decode()
    assert "备-2026-1504-00001" in body and "专业技术人员 5" not in body
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "没有符合条件的审计记录" in client.get(URL, {"since": tomorrow}).content.decode()


@pytest.mark.parametrize("who", ["owner", "reviewer", "professional"])
def test_other_roles_are_refused(client, request, who, events):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_the_export_is_filtered_and_itself_audited(client, inspector, events):
    client.force_login(inspector)
    response = client.get(URL, {"kind": "transition", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "类型", "用户名") and len(rows) == 2 and rows[1][4] == "备-2026-1504-00001"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=inspector, target="audit_events").exists()

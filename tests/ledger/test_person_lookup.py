"""Person lookup: by full ID number or name, within scope, masked; a full view only with the
permission, audited each time; pages and exports through the list toolkit."""

import io

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role
from ledger.models import Person
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import certified_plan, id_number

pytestmark = pytest.mark.django_db
URL = "/ledger/persons/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def certified(owner, reviewer):
    return certified_plan(owner, reviewer, trainees=3)


@pytest.fixture
def title_office(chifeng_bureau):
    office = OrganisationFactory(name="赤峰市职称评审办公室", kind="hrss", division=division("150400"))
    return UserFactory(username="title_office", role=Role.TITLE_OFFICE, organisation=office)


def test_a_reviewer_finds_a_person_by_full_id_number_masked(client, certified, reviewer):
    number = id_number(2, male=False)
    client.force_login(reviewer)
    body = client.get(URL, {"q": number.lower() if number.endswith("X") else number}).content.decode()
    table = body[body.index("<table>"):]  # the search box echoes what the user typed; the results are masked
    assert "学员2" in table and "学员1" not in table
    assert number not in table and f"{number[:6]}********{number[-4:]}" in table


def test_a_name_search_finds_matching_persons_in_scope_only(client, certified, reviewer, reviewer_other_league):
    client.force_login(reviewer)
    body = client.get(URL, {"q": "学员"}).content.decode()
    assert all(f"学员{i}" in body for i in (1, 2, 3))
    client.force_login(reviewer_other_league)
    assert "学员1" not in client.get(URL, {"q": "学员"}).content.decode()


def test_a_partial_id_number_is_not_a_wildcard(client, certified, reviewer):
    client.force_login(reviewer)
    assert "学员1" not in client.get(URL, {"q": id_number(1)[:10]}).content.decode()


def test_nothing_is_listed_before_a_search(client, certified, reviewer):
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200 and "学员1" not in response.content.decode()


def test_a_title_office_looks_up_persons_employed_or_certified_in_its_league(client, certified, title_office):
    client.force_login(title_office)
    assert "学员1" in client.get(URL, {"q": "学员1"}).content.decode()
    person = Person.objects.get(name="学员1")
    assert client.get(f"{URL}{person.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["owner", "professional", "inspector"])
def test_other_roles_are_refused(client, certified, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL, {"q": "学员"}).status_code == 403


def test_the_detail_is_masked_without_the_permission_and_leaves_no_unmask_row(client, certified, reviewer):
    person = Person.objects.get(name="学员1")
    client.force_login(reviewer)
    body = client.get(f"{URL}{person.pk}/").content.decode()
    assert person.id_number not in body and "学员1的学时" in body and "合计" in body
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK).exists()


def test_each_full_view_is_audited(client, certified, reviewer):
    reviewer.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    person = Person.objects.get(name="学员1")
    client.force_login(reviewer)
    for _ in range(2):
        assert person.id_number in client.get(f"{URL}{person.pk}/").content.decode()
    rows = AuditEvent.objects.filter(kind=AuditEvent.Kind.UNMASK, actor=reviewer, target=f"ledger.person:{person.pk}")
    assert rows.count() == 2


def test_another_leagues_reviewer_cannot_open_the_person(client, certified, reviewer_other_league):
    person = Person.objects.get(name="学员1")
    client.force_login(reviewer_other_league)
    assert client.get(f"{URL}{person.pk}/").status_code == 404


def test_the_export_has_the_found_rows_masked(client, certified, reviewer):
    client.force_login(reviewer)
    response = client.get(URL, {"q": "学员", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号码", "性别", "工作单位") and len(rows) == 4
    numbers = {p.id_number for p in Person.objects.all()}
    assert not numbers & {r[1] for r in rows[1:]} and all("*" in r[1] for r in rows[1:])

"""The employer's HR sees exactly its staff who consented or were linked by the authority."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from access import employer
from access.models import EmployerAccess
from accounts.models import AuditEvent, Role
from jurisdiction.models import Organisation
from ledger.models import Person
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import certified_plan, id_number

pytestmark = pytest.mark.django_db


def tid(n: int) -> str:
    """The ID number tests/ledger/support.add_roster gives trainee n."""
    return id_number(n, male=bool(n % 2))


@pytest.fixture
def staff(owner, reviewer):
    """Trainees 1-3 of a certified plan work at the hospital; a fourth person works elsewhere."""
    certified_plan(owner, reviewer)
    hospital = OrganisationFactory(name="松山区医院", kind=Organisation.Kind.EMPLOYER, division=division("150404"))
    school = OrganisationFactory(name="红山区第一中学", kind=Organisation.Kind.EMPLOYER, division=division("150402"))
    persons = {n: Person.objects.get(id_number=tid(n)) for n in (1, 2, 3)}
    Person.objects.filter(pk__in=[p.pk for p in persons.values()]).update(employer_organisation=hospital)
    persons[4] = Person.objects.create(id_number=tid(4), name="学员4", sex="F", birth_date="1980-01-01",
                                       employer_organisation=school)
    for p in persons.values():
        p.refresh_from_db()
    return {"hospital": hospital, "school": school, "persons": persons,
            "hr": UserFactory(username="hospital_hr", role=Role.EMPLOYER_HR, organisation=hospital),
            "school_hr": UserFactory(username="school_hr", role=Role.EMPLOYER_HR, organisation=school)}


def linked_account(person):
    user = UserFactory(role=Role.PROFESSIONAL, organisation=None)
    Person.objects.filter(pk=person.pk).update(user=user)
    person.refresh_from_db()
    return user


def names(client):
    page = client.get(reverse("accounts:employer_staff")).content.decode()
    return {n for n in (1, 2, 3, 4) if f"<td>学员{n}</td>" in page}, page


def test_the_employer_sees_exactly_its_consenting_and_linked_staff(client, staff, reviewer):
    p = staff["persons"]
    consenting = linked_account(p[1])
    client.force_login(consenting)
    client.post(reverse("accounts:my_employer"), {"action": "grant"})
    employer.employer_access_grant(person=p[2], actor=reviewer)  # the Chifeng bureau is over Songshan
    employer.employer_access_grant(person=p[4], actor=reviewer)  # a Hongshan school: not the hospital's
    assert EmployerAccess.objects.get(person=p[1]).basis == "consent"
    assert EmployerAccess.objects.get(person=p[2]).basis == "authority"

    client.force_login(staff["hr"])
    seen, page = names(client)
    assert seen == {1, 2}  # 3 works there but neither consented nor was linked; 4 works elsewhere
    assert tid(1) not in page and ("符合要求" in page or "未达到要求" in page)
    detail = client.get(reverse("accounts:employer_person", args=[p[1].pk]))
    assert detail.status_code == 200 and "24" in detail.content.decode() and "审验依据" in detail.content.decode()
    assert client.get(reverse("accounts:employer_person", args=[p[3].pk])).status_code == 404
    assert client.get(reverse("accounts:employer_person", args=[p[4].pk])).status_code == 404

    client.force_login(staff["school_hr"])
    assert names(client)[0] == {4}


def test_revoking_or_changing_employer_ends_the_view(client, staff, reviewer):
    p = staff["persons"]
    user = linked_account(p[1])
    access = employer.employer_access_grant(person=p[1], actor=user)
    employer.employer_access_grant(person=p[2], actor=reviewer)
    client.force_login(user)
    client.post(reverse("accounts:my_employer"), {"action": "revoke"})
    access.refresh_from_db()
    assert access.revoked_at is not None and access.revoked_by == user
    Person.objects.filter(pk=p[2].pk).update(employer_organisation=staff["school"])
    assert list(employer.staff_persons_visible_to(staff["hr"])) == []
    assert AuditEvent.objects.filter(kind="employer_access", detail__action="revoke").count() == 1


def test_only_the_person_or_an_authority_over_the_employer_grants(staff, reviewer_other_league, owner):
    p = staff["persons"]
    for actor in (reviewer_other_league, owner, staff["hr"]):
        with pytest.raises(PermissionDenied):
            employer.employer_access_grant(person=p[3], actor=actor)
    assert not EmployerAccess.objects.exists()


def test_the_authority_links_through_its_page(client, staff, reviewer, reviewer_other_league):
    client.force_login(reviewer_other_league)
    client.post(reverse("accounts:employer_links"), {"id_number": tid(3)})
    assert not EmployerAccess.objects.exists()
    client.force_login(reviewer)
    client.post(reverse("accounts:employer_links"), {"id_number": tid(3)})
    access = EmployerAccess.objects.get()
    assert access.person == staff["persons"][3] and access.organisation == staff["hospital"]
    page = client.get(reverse("accounts:employer_links")).content.decode()
    assert "学员3" in page and tid(3) not in page and "共 1 条" in page
    assert "共 0 条" in client.get(reverse("accounts:employer_links"), {"q": "学员4"}).content.decode()
    assert "共 1 条" in client.get(reverse("accounts:employer_links"), {"q": tid(3)}).content.decode()
    client.post(reverse("accounts:employer_link_revoke", args=[access.pk]))
    access.refresh_from_db()
    assert access.revoked_by == reviewer


def test_other_roles_cannot_open_the_employer_pages(client, staff, owner, reviewer, professional):
    for user in (owner, reviewer, professional):
        client.force_login(user)
        assert client.get(reverse("accounts:employer_staff")).status_code == 403
    assert list(employer.staff_persons_visible_to(reviewer)) == []

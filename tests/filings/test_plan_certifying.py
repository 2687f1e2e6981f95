"""Who certifies a plan's hours: the party the rules name by the trainees' employer's management level
(filings.certifying), asked by the certification services, the `certify` transition and the queues."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django_fsm import has_transition_perm

from accounts.models import Role
from filings.certifying import can_certify, certifying_authority_of_plan
from filings.selectors import plans_visible_to
from ledger.models import HourEntry
from reviews import certification
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import accepted_plan

pytestmark = pytest.mark.django_db
IN_2022 = dt.datetime(2022, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
IN_2025 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def unit_people(region_unit):
    filer = UserFactory(username="unit_filer", role=Role.ORGANISER, organisation=region_unit)
    hr = UserFactory(username="unit_hr_c", role=Role.EMPLOYER_HR, organisation=region_unit)
    return filer, hr


def test_a_region_level_units_2026_training_is_certified_by_the_unit_not_by_the_region_bureau(
        region_unit, region_bureau, region_reviewer, unit_people):
    """2026 §一(二): "按照管理权限由属地人力资源社会保障部门、自治区本级各企事业单位人力资源（人事）部门或自治区级专业
    技术人员继续教育基地核定学时"."""
    filer, hr = unit_people
    plan = accepted_plan(filer, region_reviewer)
    assert plan.authority == region_bureau  # the plan is still reviewed by the region's bureau
    assert certifying_authority_of_plan(plan) == region_unit
    assert can_certify(plan, region_reviewer) is False
    assert not has_transition_perm(plan.certify, region_reviewer)
    assert has_transition_perm(plan.certify, hr)
    with pytest.raises(PermissionDenied, match="按照管理权限"):
        certification.certify_hours(plan=plan, actor=region_reviewer)
    assert not HourEntry.objects.filter(plan=plan).exists()
    assert len(certification.certify_hours(plan=plan, actor=hr)) == 3


def test_in_2022_the_same_units_training_is_certified_by_the_bureau(region_unit, region_bureau, region_reviewer,
                                                                     unit_people):
    """2022 §三(九): "按照管理权限由属地人力资源社会保障部门核定学时后，在全区范围内认可"."""
    filer, hr = unit_people
    plan = accepted_plan(filer, region_reviewer, now=IN_2022)
    assert certifying_authority_of_plan(plan) == region_bureau
    assert (can_certify(plan, hr), can_certify(plan, region_reviewer)) == (False, True)


def test_songshan_district_units_certify_their_own_staff_training(chifeng_bureau):
    """Songshan 2025 §(四): "松山区本级各企事业单位专业技术人员参加以上培训的，由所在单位负责核定学时"."""
    songshan_bureau = OrganisationFactory(name="松山区人社局", kind="hrss", division=division("150404"))
    unit = OrganisationFactory(name="松山区医院", kind="employer", division=division("150404"))
    filer = UserFactory(username="ss_filer", role=Role.ORGANISER, organisation=unit)
    hr = UserFactory(username="ss_hr", role=Role.EMPLOYER_HR, organisation=unit)
    bureau_reviewer = UserFactory(username="ss_reviewer", role=Role.REVIEWER, organisation=songshan_bureau)
    plan = accepted_plan(filer, bureau_reviewer, now=IN_2025)
    assert plan.authority == songshan_bureau
    assert certifying_authority_of_plan(plan) == unit
    assert (can_certify(plan, hr), can_certify(plan, bureau_reviewer), can_certify(plan, filer)) == (
        True, False, False)


def test_a_bases_training_for_the_public_is_certified_by_the_plans_authority(owner, reviewer, chifeng_bureau):
    """2026 §一(二): "按照管理权限由属地人力资源社会保障部门…核定学时"."""
    plan = accepted_plan(owner, reviewer)
    assert certifying_authority_of_plan(plan) == chifeng_bureau == plan.authority
    assert (can_certify(plan, reviewer), can_certify(plan, owner)) == (True, False)


def test_the_units_hr_sees_its_units_plans_to_certify_them_and_nobody_elses(region_unit, region_reviewer,
                                                                            unit_people, owner, reviewer):
    filer, hr = unit_people
    own = accepted_plan(filer, region_reviewer)
    accepted_plan(owner, reviewer)
    assert list(plans_visible_to(hr)) == [own]


def test_the_certification_page_offers_certification_to_the_units_hr(client, region_reviewer, unit_people):
    filer, hr = unit_people
    plan = accepted_plan(filer, region_reviewer)
    client.force_login(hr)
    page = client.get(f"/certification/plans/{plan.pk}/")
    assert page.status_code == 200 and page.context["can_certify"] is True
    client.force_login(region_reviewer)
    assert client.get(f"/certification/plans/{plan.pk}/").context["can_certify"] is False


def test_the_certification_task_is_routed_by_the_same_answer(region_unit, region_reviewer, unit_people):
    """The inbox's certification task asks reviews.certification.plan_certifying_authority_id: the rules' answer."""
    filer, _ = unit_people
    plan = accepted_plan(filer, region_reviewer)
    assert certification.plan_certifying_authority_id(plan) == region_unit.pk


def test_the_units_hr_finds_what_the_unit_must_certify_or_decide_on_the_home_page(
        client, region_reviewer, unit_people, professional, region_unit):
    """The unit's queue: trainings whose hours it certifies and credit applications it decides."""
    from ledger.services.applications import credit_apply
    from tests.ledger.applications_support import evidence, exam, person_of_employer

    filer, hr = unit_people
    plan = accepted_plan(filer, region_reviewer)
    staff = person_of_employer(region_unit, user=professional)
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        credit_apply(person=staff, actor=professional, data=exam(), evidence=evidence())
    client.force_login(hr)
    summary = {item["label"]: item for item in client.get("/").context["summary"]}
    assert summary["待本单位核定学时的培训"]["count"] == 1
    assert summary["待本单位核定学时的培训"]["url"] == f"/certification/plans/{plan.pk}/"
    assert summary["待本单位认定的学时申请"]["count"] == 1

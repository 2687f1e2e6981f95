"""Who certifies hours: rule-set data chosen by the trainee's employer's management level, four eyes by person."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from jurisdiction.models import ManagementLevel
from ledger.models import HourEntry
from reviews import certification
from rules.selectors import certifying_party, may_certify
from tests.factories import OrganisationFactory, UserFactory, division
from tests.ledger.support import accepted_plan

pytestmark = pytest.mark.django_db
DAY_2026, DAY_2022, DAY_2025 = dt.date(2026, 6, 1), dt.date(2022, 6, 1), dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def region_base(region_bureau):
    return OrganisationFactory(name="内蒙古大学继续教育学院", kind="base_region", division=division("150000"),
                               management_level=ManagementLevel.REGION_BASE)


@pytest.fixture
def local_unit(chifeng_bureau):
    return OrganisationFactory(name="赤峰市医院", kind="employer", division=division("150402"))


class TestByManagementLevel:
    def test_a_local_units_staff_are_certified_by_the_local_hr_bureau(self, local_unit, chifeng_bureau):
        """2026 §一(二): "按照管理权限由属地人力资源社会保障部门…核定学时"."""
        party = certifying_party(employer=local_unit, on=DAY_2026)
        assert (party.kinds, party.organisations) == (("local_hrss",), (chifeng_bureau,))
        assert party.label == "属地人力资源社会保障部门"

    def test_a_region_level_units_staff_are_certified_by_the_unit(self, region_unit):
        """2026 §一(二): "…自治区本级各企事业单位人力资源（人事）部门或自治区级专业技术人员继续教育基地核定学时"."""
        party = certifying_party(employer=region_unit, on=DAY_2026, source="industry_training")
        assert party.organisations == (region_unit,)

    def test_for_section_4_sources_the_region_base_or_the_unit(self, region_unit, region_base):
        """2026 §一(四): "自治区本级各企事业单位专业技术人员参加以上培训的，由自治区级继续教育基地或所在单位负责核定学时"."""
        party = certifying_party(employer=region_unit, on=DAY_2026, source="seminar", organiser=region_base)
        assert (party.kinds, party.organisations) == (("region_base", "employer"), (region_base, region_unit))

    def test_a_region_bases_staff_are_certified_by_the_base(self, region_base):
        assert certifying_party(employer=region_base, on=DAY_2026).organisations == (region_base,)

    def test_in_2022_everyone_is_certified_by_the_local_bureau(self, region_unit, region_bureau):
        """2022 §三(九): "按照管理权限由属地人力资源社会保障部门核定学时后，在全区范围内认可"."""
        assert certifying_party(employer=region_unit, on=DAY_2022).organisations == (region_bureau,)

    def test_songshan_district_units_certify_their_staffs_training(self, chifeng_bureau):
        """Songshan 2025 §(四): "松山区本级各企事业单位专业技术人员参加以上培训的，由所在单位负责核定学时"."""
        songshan_bureau = OrganisationFactory(name="松山区人社局", kind="hrss", division=division("150404"))
        unit = OrganisationFactory(name="松山区医院", kind="employer", division=division("150404"))
        assert certifying_party(employer=unit, on=DAY_2025, source="staff_training").organisations == (unit,)
        assert certifying_party(employer=unit, on=DAY_2025, source="training").organisations == (songshan_bureau,)
        assert certifying_party(employer=unit, on=DAY_2026, source="staff_training").organisations == (
            songshan_bureau,)

    def test_an_unknown_employer_falls_to_the_local_bureau_of_the_division(self, chifeng_bureau):
        party = certifying_party(employer=None, on=DAY_2026, division=division("150402"))
        assert party.organisations == (chifeng_bureau,)


class TestFourEyes:
    def test_who_filed_or_applied_never_certifies(self, region_unit):
        party = certifying_party(employer=region_unit, on=DAY_2026)
        clerk = UserFactory(role=Role.EMPLOYER_HR, organisation=region_unit)
        colleague = UserFactory(role=Role.EMPLOYER_HR, organisation=region_unit)
        assert may_certify(colleague, party, filed_by=clerk) is True
        assert may_certify(clerk, party, filed_by=clerk) is False
        assert may_certify(clerk, party, applicant=clerk.pk) is False

    def test_a_role_that_does_not_certify_for_the_party_is_refused(self, region_unit, local_unit):
        party = certifying_party(employer=region_unit, on=DAY_2026)
        assert may_certify(UserFactory(role=Role.PROFESSIONAL, organisation=region_unit), party) is False
        assert may_certify(UserFactory(role=Role.EMPLOYER_HR, organisation=local_unit), party) is False


def test_a_region_level_units_own_training_is_certified_by_its_hr_not_by_the_filer(owner, reviewer, region_unit,
                                                                                   region_bureau):
    """2026 §一(二): hours of a region-level unit's staff are certified by the unit's HR department."""
    filer = UserFactory(username="unit_clerk", role=Role.ORGANISER, organisation=region_unit)
    region_reviewer = UserFactory(username="region_reviewer_2", role=Role.REVIEWER, organisation=region_bureau)
    plan = accepted_plan(filer, region_reviewer)
    hr = UserFactory(username="unit_hr", role=Role.EMPLOYER_HR, organisation=region_unit)
    with pytest.raises(PermissionDenied):
        certification.certify_hours(plan=plan, actor=filer)
    entries = certification.certify_hours(plan=plan, actor=hr)
    assert len(entries) == HourEntry.objects.filter(plan=plan).count() > 0

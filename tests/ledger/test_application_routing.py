"""Who decides a credit application: whoever certifies hours by the rules in force on the certificate's
date (rules.selectors.certifying_party through ledger.selectors.application_authority), four eyes by person."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from ledger.models import CreditApplication, HourEntry
from ledger.selectors import application_queue_for
from ledger.services.applications import application_approve, circumstance_record, credit_apply
from tests.factories import UserFactory
from tests.ledger.applications_support import NOW, circumstance, evidence, exam, hr_user, person_of_employer

pytestmark = pytest.mark.django_db
at_now = time_machine.travel(NOW, tick=False)


@pytest.fixture
def unit_hr(region_unit):
    return hr_user(region_unit, "unit_hr"), hr_user(region_unit, "unit_hr2")


@pytest.fixture
def staff(region_unit, professional):
    return person_of_employer(region_unit, user=professional)


@at_now
def test_a_region_level_units_staff_have_their_exam_hours_certified_by_the_unit(
        staff, professional, region_unit, region_reviewer, unit_hr):
    """2026 §一(四): "自治区本级各企事业单位专业技术人员参加以上培训的，由自治区级继续教育基地或所在单位负责核定学时"."""
    filer, colleague = unit_hr
    application = credit_apply(person=staff, actor=filer, data=exam(), evidence=evidence())
    assert application.authority == region_unit
    assert list(application_queue_for(colleague, CreditApplication)) == [application]
    assert list(application_queue_for(filer, CreditApplication)) == []
    assert list(application_queue_for(region_reviewer, CreditApplication)) == []
    for outsider in (region_reviewer, filer, UserFactory(role=Role.PROFESSIONAL, organisation=region_unit)):
        with pytest.raises(PermissionDenied):
            application_approve(application=application, actor=outsider)
    application_approve(application=application, actor=colleague, reason="证书真实")
    assert HourEntry.objects.get(application=application).authority == region_unit


@at_now
def test_before_2025_the_same_exam_goes_to_the_hr_bureau(staff, professional, region_bureau, region_reviewer):
    """2022 §三(九): "按照管理权限由属地人力资源社会保障部门核定学时后，在全区范围内认可"."""
    application = credit_apply(person=staff, actor=professional, data=exam(day=dt.date(2023, 6, 20)),
                               evidence=evidence())
    assert application.authority == region_bureau
    assert list(application_queue_for(region_reviewer, CreditApplication)) == [application]


@at_now
def test_a_circumstance_of_a_region_level_units_staff_is_decided_by_the_hr_bureau(
        staff, region_bureau, unit_hr):
    """No notice hands reductions (减免情形) to a unit: the bureau holding management authority decides."""
    filer, _ = unit_hr
    record = circumstance_record(person=staff, actor=filer, data=circumstance(), evidence=evidence())
    assert record.authority == region_bureau

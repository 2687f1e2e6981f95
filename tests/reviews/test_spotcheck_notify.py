"""A confirmed violation tells the organiser and its supervising department; a rectification
deadline is pursued by the reminder sweep."""
# ruff: noqa: F811  (the draw fixtures are imported from test_spotcheck_draw and used as arguments)

import datetime as dt

import pytest

from accounts.models import Role
from notifications.models import Notification, Reminder
from notifications.sweep import sweep
from reviews.spotchecks import inspections
from tests.factories import UserFactory
from tests.reviews.test_spotcheck_draw import campaign, campaign_data, drawn, pool, trainings  # noqa: F401
from tests.reviews.test_spotcheck_inspection import checklist, confirmer, record, roster_with_credits

pytestmark = pytest.mark.django_db


def test_a_confirmed_violation_notifies_the_organiser_and_its_authority(
    drawn, pool, chifeng_bureau, django_capture_on_commit_callbacks
):
    selection = drawn.selections.first()
    plan = selection.plan
    organiser = UserFactory(role=Role.ORGANISER, organisation=plan.organiser)
    authority_reviewer = UserFactory(role=Role.REVIEWER, organisation=plan.authority)
    bystander = UserFactory(role=Role.ORGANISER)
    roster_with_credits(plan, chifeng_bureau, count=1)
    inspection = record(selection, outcome="violation", violation_kind="fraud", findings="冒名签到",
                        checklist=checklist(plan.mode, headcount={"result": "problem", "note": "冒名签到"}))
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        inspections.inspection_confirm(inspection=inspection, actor=confirmer(selection, pool))
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert {organiser.pk, authority_reviewer.pk} <= told
    assert bystander.pk not in told
    assert all(plan.filing_no in n.title for n in Notification.objects.all())


def test_a_rectification_deadline_is_reminded_to_the_organiser(drawn, pool):
    selection = drawn.selections.first()
    organiser = UserFactory(role=Role.ORGANISER, organisation=selection.plan.organiser)
    deadline = dt.date(2026, 12, 20)
    inspection = record(selection, outcome="rectify", rectify_deadline=deadline, findings="签到表不全",
                        checklist=checklist(selection.plan.mode, headcount={"result": "problem", "note": "缺页"}))
    tz = dt.timezone(dt.timedelta(hours=8))
    sweep(now=dt.datetime(2026, 12, 10, 9, 0, tzinfo=tz))
    assert not Reminder.objects.filter(kind="spotcheck_rectify").exists()
    sweep(now=dt.datetime(2026, 12, 13, 9, 0, tzinfo=tz))
    reminders = Reminder.objects.filter(kind="spotcheck_rectify")
    assert {r.recipient.organisation_id for r in reminders} == {selection.plan.organiser_id}
    mine = reminders.get(recipient=organiser)
    assert (mine.step, mine.object_key) == (-7, f"inspection:{inspection.pk}")

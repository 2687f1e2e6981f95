"""Spot-check figures against the campaign, its draw and its inspections, counted here."""
# ruff: noqa: F811  (the draw fixtures are imported from the spot-check tests and used as arguments)

import pytest
from django.db.models import Sum

from insights.selectors import division_numbers
from insights.services import statistics_refresh
from jurisdiction.models import Division
from ledger.models import HourEntry
from reviews.models import Inspection
from reviews.spotchecks import inspections
from tests.reviews.test_spotcheck_draw import SEED, campaign, campaign_data, drawn, pool, trainings  # noqa: F401
from tests.reviews.test_spotcheck_inspection import checklist, confirmer, record, roster_with_credits

pytestmark = pytest.mark.django_db


def numbers(code: str):
    generation = statistics_refresh()
    return division_numbers(generation=generation, division=Division.objects.get(code=code), year=2026,
                            period="year")


def test_spot_checks_drawn_inspected_violations_and_hours_reversed(drawn, chifeng_bureau, pool):
    selections = list(drawn.selections.select_related("plan__organiser__division"))
    violation, compliant = selections[0], selections[1]
    rows = roster_with_credits(violation.plan, chifeng_bureau)
    inspection = record(violation, outcome="violation", violation_kind="fraud", findings="冒名签到",
                        checklist=checklist(headcount={"result": "problem", "note": "冒名签到"}),
                        affected_ids=[rows[0][0].pk, rows[1][0].pk])
    record(compliant)
    before_confirmation = numbers("150400")
    assert before_confirmation.keys("spot.violations") == {}
    inspections.inspection_confirm(inspection=inspection, actor=confirmer(violation, pool))

    region, chifeng, ordos = numbers("150000"), numbers("150400"), numbers("150600")
    assert region.get("spot.campaigns") == 1  # the campaign covers the region
    assert chifeng.get("spot.campaigns") == 0
    in_chifeng = [s for s in selections if s.plan.organiser.division.path.startswith("150000/150400/")]
    assert chifeng.get("spot.drawn") == len(in_chifeng) == len(selections) == drawn.selections.count()
    assert chifeng.get("spot.inspected") == Inspection.objects.count() == 2
    assert chifeng.keys("spot.outcome") == {"violation": 1, "compliant": 1}
    assert chifeng.keys("spot.violations") == {"fraud": 1}
    reversed_hours = -HourEntry.objects.filter(kind="reversal").aggregate(h=Sum("hours"))["h"]
    assert chifeng.get("spot.hours_reversed") == reversed_hours == 48
    assert chifeng.get("hours.reversed", "professional") == 48
    assert ordos.get("spot.drawn") == 0 and ordos.keys("spot.violations") == {}

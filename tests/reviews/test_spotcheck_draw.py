"""Campaigns, the frozen draw, commit-reveal, redraws, verify_draw and inspector recusal."""

import datetime as dt
import hashlib
import hmac
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from accounts.models import Role
from filings import services as filing_services
from jurisdiction.models import Division
from reviews.models import InspectorAssignment, SpotCheckDraw
from reviews.spotchecks import algorithm, draws, inspectors
from reviews.spotchecks.snapshot import population_dump
from tests.factories import OrganisationFactory, UserFactory, division
from tests.filings.conftest import NOW, TEACHERS, plan_data

pytestmark = pytest.mark.django_db
SEED = "密封的种子-2026"


def file_plans(organiser_user, reviewer, count, **overrides):
    plans = []
    for _ in range(count):
        plan = filing_services.plan_create(actor=organiser_user, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)
        filing_services.plan_submit(plan=plan, actor=organiser_user, now=NOW)
        plans.append(filing_services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=NOW))
    return plans


@pytest.fixture
def trainings(owner, reviewer, region_bureau):
    """Six finished trainings: four of the Songshan base, two of a Hongshan base, all reviewed by Chifeng."""
    hongshan = OrganisationFactory(name="红山区培训中心", kind="industry_dept", division=division("150402"))
    hongshan_user = UserFactory(role=Role.ORGANISER, organisation=hongshan)
    plans = file_plans(owner, reviewer, 4) + file_plans(hongshan_user, reviewer, 2)
    filing_services.plans_advance_by_clock(now=NOW + dt.timedelta(days=40))
    return plans


@pytest.fixture
def pool(inspector, region_bureau, chifeng_bureau, ordos_bureau, owner_org):
    """Inspectors: four at the region (incl. `inspector`), two at Ordos, two at Chifeng and one at the organiser."""
    users = [inspector] + [UserFactory(role=Role.INSPECTOR, organisation=region_bureau) for _ in range(3)]
    users += [UserFactory(role=Role.INSPECTOR, organisation=ordos_bureau) for _ in range(2)]
    users += [UserFactory(role=Role.INSPECTOR, organisation=chifeng_bureau) for _ in range(2)]
    users += [UserFactory(role=Role.INSPECTOR, organisation=owner_org)]
    return users


def campaign_data(**overrides):
    data = {"name": "2026年度专业科目培训抽查", "division": Division.objects.get(code="150000"), "year": 2026,
            "strata_by": "county", "strata_quota": {"150404": 2, "150402": 1}, "random_share": "0.3",
            "inspector_load_limit": 3}
    data.update(overrides)
    return data


@pytest.fixture
def campaign(inspector, trainings, pool):
    campaign, _ = draws.campaign_create(actor=inspector, data=campaign_data(), seed=SEED)
    return campaign


@pytest.fixture
def drawn(campaign, inspector):
    return draws.campaign_draw(campaign=campaign, actor=inspector, seed=SEED, now=NOW + dt.timedelta(days=41))


def test_it_publishes_only_the_commitment_of_the_seed(campaign):
    assert campaign.seed_commitment == algorithm.sha256_hex(SEED.encode())
    assert SEED not in str(campaign.__dict__)


def test_it_generates_a_seed_when_none_is_given(inspector, trainings):
    campaign, seed = draws.campaign_create(actor=inspector, data=campaign_data())
    assert len(seed) == 32 and campaign.seed_commitment == algorithm.seed_commitment(seed)


def test_only_an_inspector_creates_a_campaign(reviewer, trainings):
    with pytest.raises(PermissionDenied):
        draws.campaign_create(actor=reviewer, data=campaign_data(division=Division.objects.get(code="150400")))


def test_it_refuses_a_seed_that_does_not_match_the_commitment(campaign, inspector):
    with pytest.raises(ValidationError):
        draws.campaign_draw(campaign=campaign, actor=inspector, seed="另一个种子")
    assert not SpotCheckDraw.objects.exists()


def test_the_draw_freezes_the_population_and_every_stratum_gets_its_number(drawn, trainings):
    assert drawn.population_hash == algorithm.population_hash(drawn.population)
    assert [i["id"] for i in drawn.population] == sorted(p.filing_no for p in trainings)
    assert drawn.seed == SEED and drawn.algorithm_version == algorithm.ALGORITHM_VERSION
    assert Counter(s.stratum for s in drawn.selections.all()) == Counter({"150404": 2, "150402": 1})
    assert drawn.campaign.state == "drawn"


def test_the_same_frozen_inputs_recompute_the_same_selection(drawn):
    again = algorithm.draw(drawn.population, seed=drawn.seed,
                           params=algorithm.DrawParameters.from_dict(drawn.parameters))
    assert again == drawn.selection


def test_verify_draw_says_the_draw_matches(drawn, capsys):
    call_command("verify_draw", str(drawn.campaign_id))
    assert "复算结果与记录一致" in capsys.readouterr().out


@pytest.mark.parametrize("tamper", ["population", "selection", "seed", "stored_rows"])
def test_verify_draw_detects_tampering(drawn, trainings, tamper):
    if tamper == "population":
        population = [dict(i, risk=i["risk"] + 5) if n == 0 else i for n, i in enumerate(drawn.population)]
        SpotCheckDraw.objects.filter(pk=drawn.pk).update(
            population_data=population_dump(algorithm.population_bytes(population)))
    elif tamper == "selection":
        SpotCheckDraw.objects.filter(pk=drawn.pk).update(selection=list(reversed(drawn.selection)))
    elif tamper == "seed":
        SpotCheckDraw.objects.filter(pk=drawn.pk).update(seed="x", seed_commitment=algorithm.seed_commitment("x"))
    else:
        chosen = {s["id"] for s in drawn.selection}
        other = next(p for p in trainings if p.filing_no not in chosen)
        drawn.selections.filter(rank=1).update(plan=other)
    with pytest.raises(CommandError) as exc:
        call_command("verify_draw", str(drawn.campaign_id))
    assert exc.value.returncode == 1


def test_a_second_draw_needs_a_reason_and_a_second_approver(drawn, inspector, pool, reviewer_other_league):
    campaign = drawn.campaign
    with pytest.raises(ValidationError):
        draws.campaign_draw(campaign=campaign, actor=inspector, seed=SEED)
    with pytest.raises(ValidationError):
        draws.redraw_request(campaign=campaign, actor=inspector, reason="  ")
    request, seed = draws.redraw_request(campaign=campaign, actor=inspector, reason="总体漏报两个培训")
    with pytest.raises(ValidationError):
        draws.campaign_draw(campaign=campaign, actor=inspector, seed=seed)
    with pytest.raises(PermissionDenied):
        draws.redraw_approve(request=request, actor=inspector)
    with pytest.raises(PermissionDenied):
        draws.redraw_approve(request=request, actor=reviewer_other_league)
    draws.redraw_approve(request=request, actor=pool[1])
    second = draws.campaign_draw(campaign=campaign, actor=inspector, seed=seed)
    drawn.refresh_from_db()
    assert (second.number, second.reason, second.approved_by) == (2, "总体漏报两个培训", pool[1])
    assert drawn.superseded and drawn.selections.count() == 3
    call_command("verify_draw", str(campaign.pk))


def _active(draw):
    return InspectorAssignment.objects.filter(selection__draw=draw, ended_at__isnull=True).select_related(
        "inspector", "selection__plan")


def test_recusal_and_load_limits_are_never_violated(drawn, pool):
    assignments = list(_active(drawn))
    for a in assignments:
        plan = a.selection.plan
        assert a.inspector.organisation_id not in (plan.organiser_id, plan.authority_id)
    per_selection = Counter(a.selection_id for a in assignments)
    assert set(per_selection.values()) == {2}
    assert max(Counter(a.inspector_id for a in assignments).values()) <= 3


def test_inspectors_are_the_first_eligible_by_the_published_hmac_order(drawn, pool):
    """Anyone can recompute the team: HMAC-SHA256(seed, "inspector|filing number|user id"), smallest
    first. The first selection by rank meets nobody's load limit yet, so its team is the first two."""
    selection = drawn.selections.select_related("plan").order_by("rank").first()
    eligible = [u for u in inspectors.inspector_pool(drawn.campaign.authority)
                if u.organisation_id not in (selection.plan.organiser_id, selection.plan.authority_id)]
    order = sorted(eligible, key=lambda u: hmac.new(drawn.seed.encode(),
                                                    f"inspector|{selection.plan.filing_no}|{u.pk}".encode(),
                                                    hashlib.sha256).digest())
    team = {a.inspector_id for a in selection.assignments.all()}
    assert len(order) > 2 and team == {order[0].pk, order[1].pk}


def test_inspectors_of_an_organisers_last_check_are_not_drawn_again(drawn, inspector, pool):
    last = {}
    for a in _active(drawn):
        last.setdefault(a.selection.plan.organiser_id, set()).add(a.inspector_id)
    campaign, _ = draws.campaign_create(actor=inspector, data=campaign_data(name="第二批"), seed="s2")
    second = draws.campaign_draw(campaign=campaign, actor=inspector, seed="s2")
    for a in _active(second):
        assert a.inspector_id not in last.get(a.selection.plan.organiser_id, set())


def test_a_reassignment_records_who_and_why_and_respects_recusal(drawn, pool, inspector):
    assignment = _active(drawn).first()
    busy = set(_active(drawn).filter(selection=assignment.selection).values_list("inspector_id", flat=True))
    chifeng_inspector = pool[6]
    with pytest.raises(ValidationError):
        inspectors.assignment_reassign(assignment=assignment, actor=inspector, new_inspector=chifeng_inspector,
                                       reason="回避")
    free = next(u for u in pool[:6] if u.pk not in busy)
    new = inspectors.assignment_reassign(assignment=assignment, actor=inspector, new_inspector=free, reason="出差")
    assignment.refresh_from_db()
    assert (assignment.ended_by, assignment.end_reason) == (inspector, "出差")
    assert (new.inspector, new.assigned_by, new.reason) == (free, inspector, "出差")


def test_a_draw_fails_whole_when_too_few_inspectors_remain(inspector, trainings, region_bureau):
    campaign, _ = draws.campaign_create(actor=inspector, data=campaign_data(), seed=SEED)
    with pytest.raises(ValidationError) as exc:
        draws.campaign_draw(campaign=campaign, actor=inspector, seed=SEED)
    assert "检查人员不足" in exc.value.messages[0]
    assert not SpotCheckDraw.objects.exists()

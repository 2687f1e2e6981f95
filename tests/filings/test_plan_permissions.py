"""Who may act on a plan: one answer for services, views and the plan page's buttons."""

import pytest
from django.core.exceptions import PermissionDenied

from filings import permissions, services
from filings.selectors import plan_actions
from tests.filings.conftest import NOW


def methods(user, plan):
    actions = plan_actions(user, plan)
    return [a.method for a in actions["organiser"]], [a.method for a in actions["decision"]]


def test_the_organiser_of_the_plan_is_its_owner_only(make_plan, owner, outsider, reviewer):
    plan = make_plan()
    assert permissions.is_plan_organiser(owner, plan)
    assert not permissions.is_plan_organiser(outsider, plan)
    assert not permissions.is_plan_organiser(reviewer, plan)
    with pytest.raises(PermissionDenied, match="本单位的培训组织经办人"):
        permissions.require_plan_organiser(outsider, plan)
    permissions.require_plan_organiser(owner, plan)


def test_a_deactivated_organiser_is_no_longer_the_owner(make_plan, owner):
    plan = make_plan()
    owner.is_active = False
    assert not permissions.is_plan_organiser(owner, plan)


def test_the_reviewer_of_the_authority_decides(make_plan, reviewer, reviewer_other_league, owner):
    plan = make_plan()
    assert permissions.can_decide(plan, reviewer)
    assert not permissions.can_decide(plan, reviewer_other_league)
    assert not permissions.can_decide(plan, owner)
    with pytest.raises(PermissionDenied, match="不能办理"):
        permissions.require_decider(reviewer_other_league, plan)


def test_a_draft_offers_its_owner_submit_and_cancel(make_plan, owner, outsider, reviewer):
    plan = make_plan()
    assert methods(owner, plan) == (["submit", "cancel"], [])
    assert methods(outsider, plan) == ([], [])
    assert methods(reviewer, plan) == ([], [])


def test_a_submitted_plan_offers_withdraw_and_the_three_decisions(submitted_plan, owner, reviewer,
                                                                 reviewer_other_league):
    assert methods(owner, submitted_plan) == (["withdraw"], [])
    assert methods(reviewer, submitted_plan) == ([], ["approve", "return_for_revision", "reject"])
    assert methods(reviewer_other_league, submitted_plan) == ([], [])


def test_an_approved_plan_offers_only_cancel_and_never_the_clocks_moves(submitted_plan, owner, reviewer):
    plan = services.plan_decide(plan=submitted_plan, actor=reviewer, decision="approve", now=NOW)
    assert methods(owner, plan) == (["cancel"], [])
    assert methods(reviewer, plan) == ([], [])


def test_each_action_posts_to_its_own_url(submitted_plan, reviewer):
    urls = [a.url for a in plan_actions(reviewer, submitted_plan)["decision"]]
    assert urls == [f"/plans/{submitted_plan.pk}/decide/{d}/" for d in ("approve", "return", "reject")]


def test_an_organiser_files_for_an_organisation_only_while_active(owner, reviewer):
    assert permissions.is_organiser(owner) and not permissions.is_organiser(reviewer)
    owner.is_active = False
    with pytest.raises(PermissionDenied, match="只能"):
        permissions.require_organiser(owner, message="只能由经办人办理")

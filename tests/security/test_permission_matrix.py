"""Permissions as a matrix: every named URL × every role × GET and POST, against tests/security/policy.py.

The fixture world (tests/security/world.py) is built once for the module; each request runs in
its own savepoint. A refused POST must also leave the world unchanged.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse
from viewflow.workflow.models import Task

from accounts.models import AuditEvent, Role, User
from api.models import ApiClient, CompletionBatch
from filings import services
from filings.models import (
    Attachment,
    LateFilingException,
    PlanTransition,
    RosterEntry,
    RosterUpload,
    TrainingPlan,
    TrainingReport,
)
from ledger.models import (
    AmendmentRequest,
    CircumstanceApplication,
    CreditApplication,
    HourEntry,
    Person,
    PersonFlag,
    TransmissionBatch,
)
from notifications.models import ChannelPreference, Notification
from reviews import certification
from reviews.models import (
    CertificationAdjustment,
    CertificationRun,
    Inspection,
    InspectionEvidence,
    InspectorAssignment,
    LateExceptionRequest,
    OrganiserViolation,
    RedrawRequest,
    SpotCheckCampaign,
    SpotCheckDraw,
)
from reviews.spotchecks import draws, inspections, selectors
from rules.models import AuditCard
from tests.factories import OrganisationFactory, UserFactory, division
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.security.policy import ADMIN_PUBLIC, ADMIN_RULE, ANONYMOUS, POLICY, rule_for
from tests.security.urls import named_patterns, url_of
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db

PATTERNS = named_patterns()
# The admin is one rule (staff only) enforced by one wrapper (AdminSite.admin_view): its URLs are
# requested by anonymous and by the most trusted non-staff role only, to keep the matrix fast.
ADMIN_ROLES = (ANONYMOUS, "reviewer")
CASES = [(name, role, method) for name in sorted(PATTERNS)
         for role in (ADMIN_ROLES if name.startswith("admin:") and name not in ADMIN_PUBLIC else ROLES)
         for method in ("GET", "POST")]


def test_every_url_has_a_policy_row_and_every_row_a_url():
    unlisted = sorted(name for name in PATTERNS if rule_for(name) is None)
    stale = sorted(name for name in [*POLICY, *ADMIN_PUBLIC] if name not in PATTERNS)
    assert not unlisted, f"URLs without a row in tests/security/policy.py: {unlisted}"
    assert not stale, f"Policy rows naming no URL: {stale}"


def fingerprint() -> tuple:
    """Everything a POST could change in the world, except the audit log of refusals and sessions."""

    def rows(model, *fields):
        return tuple(model.objects.order_by("pk").values_list("pk", *fields))

    return (
        rows(TrainingPlan, "state"), PlanTransition.objects.count(), LateFilingException.objects.count(),
        rows(TrainingReport, "submitted_at"), Attachment.objects.count(), rows(RosterUpload, "status"),
        RosterEntry.objects.count(), rows(HourEntry), rows(AmendmentRequest, "status"),
        rows(TransmissionBatch, "sent_at"), rows(AuditCard, "revoked_at"), rows(SpotCheckCampaign, "state"),
        SpotCheckDraw.objects.count(), rows(RedrawRequest, "approved_by", "draw"),
        rows(Inspection, "confirmed_at"), InspectionEvidence.objects.count(), rows(InspectorAssignment, "ended_at"),
        OrganiserViolation.objects.count(), rows(Notification, "read_at"), ChannelPreference.objects.count(),
        rows(Task, "owner", "status"), User.objects.count(), rows(CreditApplication, "state"),
        rows(CircumstanceApplication, "state"), PersonFlag.objects.count(), Person.objects.count(),
        rows(ApiClient, "revoked_at"), rows(CompletionBatch, "status"),
        rows(CertificationAdjustment, "hours", "reason"), rows(CertificationRun, "status"),
        rows(LateExceptionRequest, "status"),
        AuditEvent.objects.exclude(kind__in=[AuditEvent.Kind.REFUSED, AuditEvent.Kind.SIGN_IN,
                                             AuditEvent.Kind.SIGN_OUT, AuditEvent.Kind.SIGN_IN_FAILED]).count(),
    )


def _login_redirect(response, url_name: str) -> bool:
    if response.status_code != 302:
        return False
    login = reverse("admin:login") if url_name.startswith("admin:") else resolve_url(settings.LOGIN_URL)
    target = response.url
    return target.startswith(login) or (url_name == "admin:logout" and target == reverse("admin:index"))


def refused(response, role: str, url_name: str) -> bool:
    if response.status_code == 405:
        return True
    if url_name.startswith("api:"):  # bearer-token API: 401 problem+json for anyone without a token
        return response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    if role == ANONYMOUS or url_name.startswith("admin:"):
        return _login_redirect(response, url_name)
    return response.status_code in (403, 404)


def answered(response, url_name: str) -> bool:
    """Not refused. Signing out ends at the sign-in page, which is its success."""
    login_redirect = _login_redirect(response, url_name) and url_name not in ("logout", "admin:logout")
    return response.status_code in (200, 302, 405) and not login_redirect


@pytest.mark.parametrize(("url_name", "role", "method"), CASES, ids=["|".join(case) for case in CASES])
def test_matrix(client, world, url_name, role, method):
    rule = rule_for(url_name)
    assert rule is not None, f"{url_name} has no policy row"
    url = url_of(url_name, PATTERNS[url_name], world)
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    allowed = role in (rule.read if method == "GET" else rule.write)
    before = fingerprint() if method == "POST" and role not in rule.changers and rule is not ADMIN_RULE else None
    response = client.get(url) if method == "GET" else client.post(url, {})
    if allowed:
        assert answered(response, url_name), f"{role} {method} {url} → {response.status_code} (policy allows)"
    else:
        assert refused(response, role, url_name), (
            f"{role} {method} {url} → {response.status_code} {response.get('Location', '')} (policy refuses)")
    if before is not None:
        assert fingerprint() == before, f"{role} POST {url} changed the world"


# --- nobody approves, certifies or confirms a violation on their own organisation's filing ------------------

def _bureau_plan(bureau, **overrides) -> TrainingPlan:
    """The HR bureau files a plan itself: its own reviewers are the plan's authority."""
    clerk = UserFactory(username="bureau_clerk", role=Role.ORGANISER, organisation=bureau)
    plan = services.plan_create(actor=clerk, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)
    plan = services.plan_submit(plan=plan, actor=clerk, now=NOW)
    assert plan.authority == bureau == plan.organiser
    return plan


def test_nobody_approves_their_own_organisations_plan(client, world):
    reviewer = world.users["reviewer"]
    plan = _bureau_plan(reviewer.organisation)
    with pytest.raises(PermissionDenied):
        services.plan_decide(plan=plan, actor=reviewer, decision="approve")
    client.force_login(reviewer)
    response = client.post(reverse("filings:plan_decide", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert response.status_code == 403 and plan.state == "submitted"


def test_nobody_certifies_their_own_organisations_training(client, world):
    reviewer = world.users["reviewer"]
    plan = _bureau_plan(reviewer.organisation)
    for service in (certification.certify_hours, certification.report_accept):
        with pytest.raises(PermissionDenied):
            service(plan=plan, actor=reviewer)
    client.force_login(reviewer)
    assert client.post(reverse("certification:certify", args=[plan.pk])).status_code == 403
    assert not HourEntry.objects.filter(plan=plan).exists()


def test_nobody_confirms_a_violation_on_their_own_organisations_filing(client, world):
    """A Chifeng bureau inspector acts for the Chifeng campaign, but not on the bureau's own training."""
    bureau = world.users["reviewer"].organisation
    plan = _bureau_plan(bureau, subject="public")
    lead = UserFactory(role=Role.INSPECTOR, organisation=bureau)
    county = OrganisationFactory(name="红山区人社局", kind="hrss", division=division("150402"))
    team = [UserFactory(role=Role.INSPECTOR, organisation=county) for _ in range(2)]
    data = {"name": "本单位计划抽查", "division": division("150400"), "year": NOW.year, "subject": "public",
            "sample_size": 1, "strata_by": "none", "plan_states": ["submitted"]}
    campaign, _ = draws.campaign_create(actor=lead, data=data, seed="s")
    draws.campaign_draw(campaign=campaign, actor=lead, seed="s")
    selection = selectors.current_selections(campaign).get()
    recorder = selectors.active_assignments(selection).first().inspector
    assert selection.plan == plan and recorder in team
    checklist = {code: {"result": "problem", "note": "冒名"} for code, _ in inspections.checklist_for(plan.mode)}
    inspection = inspections.inspection_record(selection=selection, actor=recorder, checklist=checklist,
                                               findings="冒名签到", outcome="violation", violation_kind="fraud")
    with pytest.raises(PermissionDenied):
        inspections.inspection_confirm(inspection=inspection, actor=lead)
    client.force_login(lead)
    client.post(reverse("spotchecks:inspection_confirm", args=[selection.pk]))
    inspection.refresh_from_db()
    assert inspection.confirmed_at is None and not OrganiserViolation.objects.filter(organiser=bureau).exists()

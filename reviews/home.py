"""What waits for reviewers and inspectors, for the home page (portal collects HOME_PANELS)."""

from django.urls import reverse

from accounts.models import Role
from filings.models import PlanState
from filings.selectors import plans_visible_to
from reviews.models import CampaignState, InspectorAssignment
from reviews.spotchecks.selectors import campaigns_visible_to
from workflows.selectors import review_queue_for


def review_counts(user):
    if user.role == Role.REVIEWER:
        reports = plans_visible_to(user).filter(state=PlanState.REPORTED, authority_id=user.organisation_id)
        return [
            {"label": "待审核培训计划", "count": review_queue_for(user).count(), "url": reverse("reviews:inbox")},
            {"label": "待审核培训报告、核定学时", "count": reports.count(),
             "url": f"{reverse('filings:plan_list')}?state={PlanState.REPORTED}"},
        ]
    return []


INSPECTIONS_ON_HOME = 8


def spot_check_counts(user):
    if user.role != Role.INSPECTOR:
        return []
    to_draw = campaigns_visible_to(user).filter(state=CampaignState.OPEN, authority_id=user.organisation_id)
    to_inspect = (InspectorAssignment.objects.filter(inspector=user, ended_at__isnull=True,
                                                     selection__draw__superseded=False,
                                                     selection__inspection__isnull=True)
                  .select_related("selection__plan").order_by("selection__plan__starts_at", "pk"))
    items = [{"label": "待抽取的抽查批次", "count": to_draw.count(), "url": reverse("spotchecks:campaign_list")}]
    # Each training straight from here: an inspector of a county does not see the league's campaign list.
    items += [{"label": f"待录入检查情况：{a.selection.plan.filing_no} {a.selection.plan.title}", "count": "",
               "url": reverse("spotchecks:selection_detail", args=[a.selection_id])} for a in to_inspect[:INSPECTIONS_ON_HOME]]
    return items


HOME_PANELS = [review_counts, spot_check_counts]

"""What waits for authorities, for the home page (portal collects HOME_PANELS): a reviewer's open tasks
counted per kind, each linking to the inbox filtered to that kind; an inspector's campaigns and
inspections; an employer's HR, the credit applications the rules have the unit itself decide."""

from django.urls import reverse

from accounts.models import Role
from ledger.models import CreditApplication
from reviews.models import CampaignState, InspectorAssignment
from reviews.spotchecks.selectors import campaigns_visible_to
from workflows.selectors import application_queue_for, authority_task_counts
from workflows.task_kinds import task_kinds


def review_counts(user):
    if user.role != Role.REVIEWER:
        return []
    counts = authority_task_counts(user)
    inbox = reverse("reviews:inbox")
    waiting = [(kind, counts.get((kind.flow, kind.model._meta.model_name), 0)) for kind in task_kinds()]
    # Only the kinds with something waiting: eight lines of "0" would hide the one that matters.
    return [{"label": f"待处理：{kind.label}", "count": count, "url": f"{inbox}?kind={kind.code}"}
            for kind, count in waiting if count]


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


def unit_decisions(user):
    if user.role != Role.EMPLOYER_HR:
        return []
    waiting = application_queue_for(user, CreditApplication).count()
    return [{"label": "待本单位认定的学时申请", "count": waiting, "url": reverse("ledger:application_list")}] if waiting else []


HOME_PANELS = [review_counts, spot_check_counts, unit_decisions]

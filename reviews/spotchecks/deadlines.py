"""The rectification deadline of a spot check (责令整改期限), as a source for the reminder sweep
(registered from ReviewsConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jurisdiction.calendar import end_of_day
from notifications.deadlines import Deadline, DeadlineSource, register_source
from notifications.deadlines.context import SweepContext
from reviews.models import Inspection, Outcome


def collect_rectification(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    """Inspections that require rectification: the organiser by the deadline; its authority once late."""
    qs = Inspection.objects.filter(
        outcome=Outcome.RECTIFY, rectify_deadline__gte=start.date() - dt.timedelta(days=1),
        rectify_deadline__lte=end.date() + dt.timedelta(days=1),
    ).select_related("selection__plan")
    if user is not None:
        qs = qs.filter(selection__plan__organiser_id=user.organisation_id) | qs.filter(
            selection__plan__authority_id=user.organisation_id)
    for inspection in qs:
        plan = inspection.selection.plan
        due = end_of_day(inspection.rectify_deadline)
        if start <= due <= end:
            yield Deadline(
                kind="spotcheck_rectify", object_key=f"inspection:{inspection.pk}", due_at=due,
                title=f"抽查整改：{plan.title}（{plan.filing_no}）",
                action="请在整改期限前完成整改并向检查部门报告。",
                url=reverse("filings:plan_detail", args=[plan.pk]),
                recipients=ctx.organisers_of(plan.organiser_id),
                escalate_to=ctx.reviewers_of(plan.authority_id),
            )


register_source(DeadlineSource("spotcheck_rectify", "抽查整改期限", collect_rectification,
                               offsets=(-7, -3, -1, 0, 1, 7), escalate_from=1))

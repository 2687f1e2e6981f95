"""The deadline of every open authority task (registered from WorkflowsConfig.ready()).

| kind           | open task of                                  | deadline         | who                                  |
| authority_task | any kind but plan review (filings' own source) | the task's `due` | the holder, else the authority's reviewers; once overdue, the reviewers of the authority above |

Plan review keeps its own source (filings.deadlines `plan_review`), which escalates the same way.
The object key carries the task and its deadline, so a task reopened later gets a fresh series.
"""

from __future__ import annotations

import datetime as dt

from common.task_routing import due_moment, due_text
from notifications.deadlines import Deadline, DeadlineSource, register_source
from notifications.deadlines.context import SweepContext
from workflows.flows import PlanReviewFlow
from workflows.selectors import open_authority_tasks


def collect_tasks(ctx: SweepContext, start: dt.datetime, end: dt.datetime, user=None):
    tasks = (open_authority_tasks().exclude(process__flow_class=PlanReviewFlow)
             .filter(due__gte=due_text(start), due__lte=due_text(end)))
    if user is not None:
        tasks = tasks.filter(process__data__authority_id=user.organisation_id)
    for task in tasks.order_by("pk"):
        data = task.process.data
        due = due_moment(data["due"])
        authority_id = data["authority_id"]
        yield Deadline(
            kind="authority_task", object_key=f"task:{task.pk}@{data['due']}", due_at=due,
            title=f"待办“{task.process.flow_class.process_title}”：{data['title']}",
            action="请在截止前处理；逾期将提醒上级人力资源和社会保障部门。", url=data["url"],
            recipients=frozenset([task.owner_id]) if task.owner_id else ctx.reviewers_of(authority_id),
            escalate_to=ctx.parent_reviewers_of(authority_id))


register_source(DeadlineSource("authority_task", "审核部门待办事项", collect_tasks, offsets=(-3, -1, 0, 1, 7),
                               escalate_from=1))

"""The one inbox (审核待办): every task that waits for the user's authority, of every kind, in one list.

The kinds are registered in workflows.task_kinds (workflows, reviews); the rows are viewflow tasks
routed to the authority (workflows.selectors.authority_tasks_for), filtered, sorted and paged with
common.lists. Each row links to the page where the decision is taken; late-filing requests are
decided in the inbox itself.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import F, Q
from django.utils import timezone

from common.task_routing import due_text
from jurisdiction.models import Division
from workflows.task_kinds import kind_of, task_kind, task_kinds


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in task_kinds()]


def kind_code(task) -> str:
    """The kind of a task with its process (and the artifact's content type) loaded."""
    kind = kind_of(task.process.flow_class, task.process.artifact_content_type.model)
    return kind.code if kind else ""


SCOPE_CHOICES = [("mine", "我的待办"), ("pool", "尚无人处理"), ("others", "同事处理中")]
AGE_CHOICES = [("1", "超过 1 天"), ("3", "超过 3 天"), ("7", "超过 7 天"), ("30", "超过 30 天")]
DEADLINE_CHOICES = [("overdue", "已逾期"), ("3", "3 天内到期"), ("7", "7 天内到期")]
SORT_CHOICES = [("due", "截止时间（最早在前）"), ("-due", "截止时间（最晚在前）"),
                ("waiting", "等待时间（最久在前）"), ("-waiting", "等待时间（最短在前）")]
ORDERINGS = {
    "due": (F("due").asc(nulls_last=True), "created", "pk"),
    "-due": (F("due").desc(nulls_last=True), "-created", "-pk"),
    "waiting": ("created", "pk"),
    "-waiting": ("-created", "-pk"),
}


class InboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="名称、备案编号或单位名称中的文字")
    kind = django_filters.ChoiceFilter(label="类别", choices=kind_choices, empty_label="全部", method="of_kind")
    scope = django_filters.ChoiceFilter(label="处理人", choices=SCOPE_CHOICES, empty_label="全部", method="of_scope")
    age = django_filters.ChoiceFilter(label="等待", choices=AGE_CHOICES, empty_label="不限", method="waiting_over")
    deadline = django_filters.ChoiceFilter(label="截止", choices=DEADLINE_CHOICES, empty_label="不限",
                                           method="due_within")
    league = django_filters.ModelChoiceFilter(
        label="盟市", method="in_league", empty_label="全部",
        queryset=Division.objects.filter(level=Division.Level.LEAGUE).order_by("code"))
    sort = django_filters.ChoiceFilter(label="排序", choices=SORT_CHOICES, empty_label="默认（截止时间）",
                                       method="sorted_by")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(process__data__title__icontains=value) | Q(process__data__ref__icontains=value)
                               | Q(process__data__organiser__icontains=value))

    def of_kind(self, queryset, name, value):
        return queryset.filter(task_kind(value).task_q())

    def of_scope(self, queryset, name, value):
        user = self.request.user
        if value == "mine":
            return queryset.filter(owner_id=user.pk)
        if value == "pool":
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner__isnull=False).exclude(owner_id=user.pk)

    def waiting_over(self, queryset, name, value):
        return queryset.filter(created__lte=timezone.now() - dt.timedelta(days=int(value)))

    def due_within(self, queryset, name, value):
        now = timezone.now()
        if value == "overdue":
            return queryset.filter(due__lt=due_text(now))
        return queryset.filter(due__lt=due_text(now + dt.timedelta(days=int(value))))

    def in_league(self, queryset, name, value):
        return queryset.filter(process__data__league=value.code)

    def sorted_by(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])

"""What a professional can look at, for the home page (portal collects HOME_PANELS): the year's hours
and the audit card. (An employer's HR's decisions are counted in reviews.home.)"""

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from ledger.selectors import person_of


def my_hours_panel(user):
    if user.role != Role.PROFESSIONAL:
        return []
    person = person_of(user)
    year = timezone.localdate().year
    hours = (person.hour_entries.filter(year=year).aggregate(n=Sum("hours"))["n"] or 0) if person else 0
    return [{"label": f"{year}年度已记入学时（查看明细）", "count": f"{hours} 学时", "url": reverse("ledger:my_hours")},
            {"label": "学时审验与审验卡（可打印）", "count": "", "url": reverse("rules:my_eligibility")}]


HOME_PANELS = [my_hours_panel]

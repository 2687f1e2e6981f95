"""What waits on the home page (portal collects HOME_PANELS): for an employer's HR, credit applications
the rules have the unit itself decide (ledger.selectors.application_authority); for a professional, the
year's hours and the audit card."""

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from ledger.models import CreditApplication
from ledger.selectors import application_queue_for, person_of


def unit_decisions(user):
    if user.role != Role.EMPLOYER_HR:
        return []
    waiting = application_queue_for(user, CreditApplication).count()
    return [{"label": "待本单位认定的学时申请", "count": waiting, "url": reverse("ledger:application_list")}] if waiting else []


def my_hours_panel(user):
    if user.role != Role.PROFESSIONAL:
        return []
    person = person_of(user)
    year = timezone.localdate().year
    hours = (person.hour_entries.filter(year=year).aggregate(n=Sum("hours"))["n"] or 0) if person else 0
    return [{"label": f"{year}年度已记入学时（查看明细）", "count": f"{hours} 学时", "url": reverse("ledger:my_hours")},
            {"label": "学时审验与审验卡（可打印）", "count": "", "url": reverse("rules:my_eligibility")}]


HOME_PANELS = [unit_decisions, my_hours_panel]

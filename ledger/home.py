"""What waits for an employer's HR on the home page (portal collects HOME_PANELS): credit applications the
rules have the unit itself decide (ledger.selectors.application_authority)."""

from django.urls import reverse

from accounts.models import Role
from ledger.models import CreditApplication
from ledger.selectors import application_queue_for


def unit_decisions(user):
    if user.role != Role.EMPLOYER_HR:
        return []
    waiting = application_queue_for(user, CreditApplication).count()
    return [{"label": "待本单位认定的学时申请", "count": waiting, "url": reverse("ledger:application_list")}] if waiting else []


HOME_PANELS = [unit_decisions]

"""What a title-review office can do, for the home page (portal collects HOME_PANELS)."""

from django.urls import reverse

from accounts.models import Role


def title_office_panel(user):
    if user.role != Role.TITLE_OFFICE:
        return []
    return [{"label": "上传职称申报人员名单，批量审验学时", "count": "", "url": reverse("rules:eligibility_batch")}]


HOME_PANELS = [title_office_panel]

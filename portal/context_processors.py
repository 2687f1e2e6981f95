"""Navigation that shows only what the signed-in user's role may use."""

from django.urls import NoReverseMatch, reverse

from accounts.models import Role

# (label, url name, roles that see it). Apps add their entries here as they grow.
NAV_ITEMS = [
    ("首页", "home", None),
    ("培训计划", "filings:plan_list", {Role.ORGANISER, Role.REVIEWER, Role.INSPECTOR, Role.ADMIN}),
    ("审核待办", "reviews:inbox", {Role.REVIEWER}),
    ("我的学时", "ledger:my_hours", {Role.PROFESSIONAL}),
    ("审验与审验卡", "rules:my_eligibility", {Role.PROFESSIONAL}),
    ("人员查询", "ledger:person_list", {Role.REVIEWER, Role.TITLE_OFFICE}),
    ("学时审验", "rules:eligibility_batch", {Role.TITLE_OFFICE, Role.REVIEWER, Role.ADMIN}),
    ("抽查", "spotchecks:campaign_list", {Role.INSPECTOR}),
    ("审计日志", "audit_event_list", {Role.INSPECTOR, Role.ADMIN}),
    ("学时报送", "ledger:batch_list", {Role.REVIEWER}),
    ("学时更正", "ledger:amendment_list", {Role.REVIEWER, Role.ORGANISER}),
    ("学时认定", "ledger:application_list", {Role.PROFESSIONAL, Role.EMPLOYER_HR, Role.REVIEWER}),
    ("统计分析", "insights:overview", {Role.REVIEWER, Role.INSPECTOR, Role.ORGANISER, Role.ADMIN}),
    ("截止提醒", "notifications:deadlines", None),
    ("消息", "notifications:inbox", None),
    ("本单位人员学时", "accounts:employer_staff", {Role.EMPLOYER_HR}),
    ("授权所在单位", "accounts:my_employer", {Role.PROFESSIONAL}),
    ("工作人员账号", "accounts:staff_list", {Role.REVIEWER, Role.ADMIN}),
    ("账号关联确认", "accounts:link_requests", {Role.REVIEWER, Role.EMPLOYER_HR, Role.ADMIN}),
    ("系统管理", "admin:index", {Role.ADMIN}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, roles in NAV_ITEMS:
        if roles is not None and user.role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # a feature not installed yet is simply not shown
        items.append({"label": label, "url": url, "active": request.path == url,
                      "is_inbox": url_name == "notifications:inbox"})
    return {"nav_items": items}

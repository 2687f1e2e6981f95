"""The admin in Chinese, with the records a clerk or administrator looks up.

Plans, campaigns and audit events change only through their services (state machines, logs, four
eyes), so the admin shows them read-only; rule sets change only by migration.
"""

from django.contrib import admin

from accounts.models import AuditEvent
from filings.models import PlanTransition, TrainingPlan
from reviews.models import SpotCheckCampaign
from rules.models import RuleSet

admin.site.site_header = "专业技术人员继续教育管理后台"
admin.site.site_title = "继续教育管理后台"
admin.site.index_title = "数据管理"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanTransitionInline(admin.TabularInline):
    model = PlanTransition
    fields = readonly_fields = ["at", "from_state", "to_state", "actor", "reason"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ReadOnlyAdmin):
    list_display = ["filing_no", "title", "organiser", "authority", "subject", "mode", "starts_at", "state"]
    list_filter = ["state", "subject", "mode"]
    search_fields = ["filing_no", "title", "organiser__name"]
    list_select_related = ["organiser", "authority"]
    date_hierarchy = "starts_at"
    inlines = [PlanTransitionInline]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "issuer", "notice", "effective_from", "effective_to"]
    search_fields = ["code", "name", "notice"]
    list_select_related = ["issuer"]


@admin.register(SpotCheckCampaign)
class SpotCheckCampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "authority", "division", "year", "state"]
    list_filter = ["state", "year"]
    search_fields = ["name", "authority__name"]
    list_select_related = ["authority", "division"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "ip", "target"]
    list_filter = ["kind"]
    search_fields = ["username", "target"]
    date_hierarchy = "at"

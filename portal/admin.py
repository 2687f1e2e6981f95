"""The admin in Chinese, with the records a clerk or administrator looks up.

Plans, campaigns and audit events change only through their services (state machines, logs, four
eyes), so the admin shows them read-only; rule sets change only by migration.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from viewflow.workflow.models import Process, Task

from accounts.models import AuditEvent
from filings.models import Attachment, LateFilingException, PlanTransition, TrainingPlan, TrainingReport
from reviews.models import Inspection, LateExceptionRequest, OrganiserViolation, SpotCheckCampaign
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


@admin.register(TrainingReport)
class TrainingReportAdmin(ReadOnlyAdmin):
    list_display = ["plan", "due_at", "submitted_at", "submitted_by", "late_days"]
    search_fields = ["plan__filing_no", "plan__title"]
    list_select_related = ["plan", "submitted_by"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    """Report materials; the file itself opens from the report page, where access is checked and logged."""

    list_display = ["plan", "kind", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["plan__filing_no", "original_name"]
    list_select_related = ["plan", "uploaded_by"]
    fields = ["plan", "kind", "original_name", "size", "content_type", "uploaded_by", "uploaded_at"]


@admin.register(LateFilingException)
class LateFilingExceptionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "granted_by", "granted_at", "reason"]
    list_select_related = ["plan", "granted_by"]


@admin.register(LateExceptionRequest)
class LateExceptionRequestAdmin(ReadOnlyAdmin):
    list_display = ["plan", "requested_by", "requested_at", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["plan", "requested_by", "decided_by"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["selection", "outcome", "violation_kind", "recorded_by", "recorded_at", "confirmed_at"]
    list_filter = ["outcome", "violation_kind"]
    fields = ["selection", "findings", "outcome", "violation_kind", "rectify_deadline", "recorded_by", "recorded_at",
              "confirmed_by", "confirmed_at"]


@admin.register(OrganiserViolation)
class OrganiserViolationAdmin(ReadOnlyAdmin):
    list_display = ["organiser", "kind", "confirmed_at", "inspection"]
    list_filter = ["kind"]
    list_select_related = ["organiser"]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    """Named by the notice, never by the internal code; the parameters are read on the rules pages."""

    list_display = ["name", "issuer", "notice", "document_number", "effective_from", "effective_to"]
    search_fields = ["name", "notice", "document_number"]
    list_select_related = ["issuer"]
    exclude = ["code", "params"]


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


# What a user may do follows from the role (accounts.Role); Django's groups are not used.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


# viewflow's own admin shows the flow class's import path ("ledger/flows.…") and edit widgets listing every
# content type; ours shows each process by its Chinese title, read-only (processes move only through flows).
for model in (Process, Task):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class NumberMixin:
    @admin.display(description="编号", ordering="pk")
    def number(self, obj):
        return obj.pk


class FlowTitleFilter(admin.SimpleListFilter):
    title = "流程"
    parameter_name = "flow"

    def lookups(self, request, model_admin):
        classes = Process.objects.order_by("flow_class").values_list("flow_class", flat=True).distinct()
        return [(i, c.process_title) for i, c in enumerate(classes) if c is not None]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        classes = [c for c in Process.objects.order_by("flow_class").values_list("flow_class", flat=True).distinct()
                   if c is not None]
        flow_class = classes[int(self.value())] if self.value().isdigit() and int(self.value()) < len(classes) else None
        field = "flow_class" if queryset.model is Process else "process__flow_class"
        return queryset.filter(**{field: flow_class}) if flow_class else queryset.none()


@admin.register(Process)
class ProcessAdmin(NumberMixin, ReadOnlyAdmin):
    """A process with its steps; viewflow's task rows name themselves by code, so the steps are listed here."""

    list_display = ["number", "created", "flow_title", "status", "finished"]
    list_filter = ["status", FlowTitleFilter]
    date_hierarchy = "created"
    fields = readonly_fields = ["flow_title", "status", "created", "finished", "steps"]

    @admin.display(description="流程")
    def flow_title(self, obj):
        return obj.flow_class.process_title if obj.flow_class else ""

    @admin.display(description="步骤")
    def steps(self, obj):
        tasks = obj.task_set.select_related("owner").order_by("created")
        return format_html_join(
            "", "<div>{} · {} · {} · {}</div>",
            ((t.title, t.get_status_display(), t.owner or "—", date_format(localtime(t.created), "Y-m-d H:i"))
             for t in tasks))


@admin.register(Task)
class TaskAdmin(NumberMixin, ReadOnlyAdmin):
    """The task list; a task opens as its process (with every step)."""

    list_display = ["number", "created", "process", "task_title", "status", "owner", "finished"]
    list_filter = ["status", FlowTitleFilter]
    list_select_related = ["process", "owner"]
    date_hierarchy = "created"

    @admin.display(description="步骤")
    def task_title(self, obj):
        return obj.title

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task = self.get_object(request, object_id)
        if task is None:
            return super().change_view(request, object_id, form_url, extra_context)
        return redirect("admin:viewflow_process_change", task.process_id)

"""Admin for the ledger: read-only. Every write goes through the ledger services."""

from django.contrib import admin

from accounts.pii import mask_id_number
from ledger.models import (
    AmendmentRequest,
    CircumstanceApplication,
    CreditApplication,
    HourEntry,
    Person,
    PersonFlag,
    TransmissionBatch,
)
from rules.models import RuleSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Persons come from certification; the admin only links a person to a professional's account."""

    list_display = ["name", "masked_id_number", "sex", "birth_date", "employer", "user"]
    search_fields = ["name"]
    fields = ["name", "masked_id_number", "sex", "birth_date", "employer", "user"]
    readonly_fields = ["name", "masked_id_number", "sex", "birth_date", "employer"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    @admin.display(description="身份证号码")
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)


@admin.register(HourEntry)
class HourEntryAdmin(ReadOnlyAdmin):
    list_display = ["person", "year", "subject", "source", "kind", "hours", "authority", "created_at"]
    list_filter = ["kind", "subject", "source", "year"]
    list_select_related = ["person", "authority"]


@admin.register(TransmissionBatch)
class TransmissionBatchAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "authority", "created_by", "created_at", "sent_at"]
    exclude = ["entries"]


@admin.register(AmendmentRequest)
class AmendmentRequestAdmin(ReadOnlyAdmin):
    list_display = ["entry", "new_hours", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]


@admin.register(CreditApplication)
class CreditApplicationAdmin(ReadOnlyAdmin):
    """Decided on the application pages (four-eyes), never here."""

    list_display = ["person", "source", "year", "credited_hours", "state", "authority", "filed_by", "filed_at"]
    list_filter = ["state", "source", "year"]
    list_select_related = ["person", "authority", "filed_by"]
    exclude = ["evidence", "rules_code"]
    readonly_fields = ["rule_set_name"]

    @admin.display(description="适用规则")
    def rule_set_name(self, obj):
        rule_set = RuleSet.objects.filter(code=obj.rules_code).first()
        return rule_set.name if rule_set else ""


@admin.register(CircumstanceApplication)
class CircumstanceApplicationAdmin(ReadOnlyAdmin):
    list_display = ["person", "code", "year", "effective_from", "state", "authority", "filed_by", "filed_at"]
    list_filter = ["state", "code"]
    list_select_related = ["person", "authority", "filed_by"]
    exclude = ["evidence"]


@admin.register(PersonFlag)
class PersonFlagAdmin(ReadOnlyAdmin):
    list_display = ["person", "code", "year", "post_start_year", "effective_from", "effective_to", "recorded_by"]
    list_filter = ["code"]
    list_select_related = ["person", "recorded_by"]

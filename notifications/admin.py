"""Admin for reminders and notifications, labelled by what they are about, not by their internal keys."""

from django.contrib import admin

from notifications.events import notified_kinds
from notifications.models import ChannelPreference, Delivery, Notification, Reminder, ReminderSchedule


def kind_label(kind: str) -> str:
    return next((label for code, label, _channels in notified_kinds() if code == kind), kind)


class KindLabelMixin:
    @admin.display(description="事项类别", ordering="kind")
    def kind_label(self, obj):
        return kind_label(obj.kind)


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(KindLabelMixin, admin.ModelAdmin):
    list_display = ["kind_label", "offsets", "escalate_from"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "done_at", "failed_at", "attempts", "last_error"]


@admin.register(Reminder)
class ReminderAdmin(KindLabelMixin, admin.ModelAdmin):
    list_display = ["kind_label", "title", "recipient", "step", "escalation", "due_at", "claimed_at", "sent_at",
                    "skipped_at"]
    list_filter = ["escalation"]
    search_fields = ["object_key", "title", "recipient__username"]
    inlines = [DeliveryInline]
    readonly_fields = ["kind_label"] + [f.name for f in Reminder._meta.fields if f.name not in ("kind", "object_key")]
    exclude = ["kind", "object_key"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    search_fields = ["title", "user__username"]
    exclude = ["reminder"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(KindLabelMixin, admin.ModelAdmin):
    list_display = ["user", "kind_label", "channel", "enabled"]

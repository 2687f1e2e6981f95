from django.contrib import admin

from notifications.models import ChannelPreference, Delivery, Notification, Reminder, ReminderSchedule


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["kind", "offsets", "escalate_from"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "done_at", "failed_at", "attempts", "last_error"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_key", "recipient", "step", "escalation", "due_at", "claimed_at", "sent_at",
                    "skipped_at"]
    list_filter = ["kind", "escalation"]
    search_fields = ["object_key", "title", "recipient__username"]
    inlines = [DeliveryInline]
    readonly_fields = [f.name for f in Reminder._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    search_fields = ["title", "user__username"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "enabled"]

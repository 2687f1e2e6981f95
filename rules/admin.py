"""Admin: each authority's own settings (not rules: no notice sets them)."""

from django.contrib import admin

from rules.models import AuthoritySettings


@admin.register(AuthoritySettings)
class AuthoritySettingsAdmin(admin.ModelAdmin):
    list_display = ("authority", "max_hours_per_day", "revision_days", "reverse_hours_after_violation")
    autocomplete_fields = ()
    raw_id_fields = ("authority",)

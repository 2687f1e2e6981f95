from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.forms import AdminSignInForm
from accounts.models import TOTPDevice, User

admin.site.login_form = AdminSignInForm


@admin.register(User)
class ProjectUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("单位与角色", {"fields": ("display_name", "organisation", "role", "phone")}),)
    autocomplete_fields = ["organisation"]


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Only to see who uses two-step verification, and to delete a lost phone's device. The secret never shows."""

    list_display = ["user", "confirmed_at", "created_at"]
    search_fields = ["user__username", "user__display_name"]
    fields = readonly_fields = ["user", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

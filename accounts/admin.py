from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.forms import AdminSignInForm
from accounts.models import EncryptedTOTPDevice, User

admin.site.login_form = AdminSignInForm


@admin.register(User)
class ProjectUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("单位与角色", {"fields": ("display_name", "organisation", "role", "phone")}),)
    autocomplete_fields = ["organisation"]


@admin.register(EncryptedTOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Only to see who uses two-step verification, and to delete a lost phone's device. The key never shows."""

    list_display = ["user", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__display_name"]
    fields = readonly_fields = ["user", "confirmed", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# django-otp's own admin shows the backup codes; ours shows only who has them.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)


@admin.register(StaticDevice)
class BackupCodesAdmin(TOTPDeviceAdmin):
    list_display = ["user", "name", "created_at", "last_used_at"]
    fields = readonly_fields = ["user", "name", "created_at", "last_used_at"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.forms import AdminSignInForm
from accounts.models import BackupCodes, EncryptedTOTPDevice, User

admin.site.login_form = AdminSignInForm


@admin.register(User)
class ProjectUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    # What a user may do follows from the role and the organisation; Django's per-model permissions and groups
    # are not used, so their (English, per-model) lists are not offered.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("单位与角色", {"fields": ("display_name", "organisation", "role", "phone")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    autocomplete_fields = ["organisation"]


class DeviceAdmin(admin.ModelAdmin):
    """Only to see who uses two-step verification, and to delete a lost phone's device. The key never shows.

    django-otp's fields carry English names, so the columns are named here."""

    list_display = fields = readonly_fields = ["holder", "confirmed_flag", "created", "last_used"]
    search_fields = ["user__username", "user__display_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="用户", ordering="user__username")
    def holder(self, obj):
        return obj.user

    @admin.display(description="已确认", boolean=True)
    def confirmed_flag(self, obj):
        return obj.confirmed

    @admin.display(description="创建时间", ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description="最近使用", ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at


@admin.register(EncryptedTOTPDevice)
class TOTPDeviceAdmin(DeviceAdmin):
    pass


# django-otp's own admin shows the backup codes and names them in English; ours shows only who has them,
# through a proxy named in Chinese.
if admin.site.is_registered(StaticDevice):
    admin.site.unregister(StaticDevice)


@admin.register(BackupCodes)
class BackupCodesAdmin(DeviceAdmin):
    pass

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class ProjectUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("单位与角色", {"fields": ("display_name", "organisation", "role", "phone")}),)
    autocomplete_fields = ["organisation"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from pmo.accounts.models import ApiToken, OrgUnit, Person, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "language", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    fieldsets = (*BaseUserAdmin.fieldsets, ("PMO", {"fields": ("role", "language")}))  # type: ignore[misc]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_zh", "kind", "parent")
    search_fields = ("code", "name", "name_zh")
    list_filter = ("kind",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "email", "org_unit", "user")
    search_fields = ("name", "name_zh", "email")
    list_select_related = ("org_unit", "user")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "last_used_at")

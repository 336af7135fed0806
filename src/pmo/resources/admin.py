"""Django admin: PMO administrators look up resources, allocations and scenarios.

Read-only: changes go through the services (pages, API, capacity sheet) so that every
change is validated, version-checked and audited.
"""

from django.contrib import admin

from pmo.core.admin import ReadOnlyAdmin
from pmo.resources.models import (
    Allocation,
    CapacityChange,
    LevelingRun,
    Resource,
    Role,
    Scenario,
)


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "role", "org_unit", "fte", "active")
    list_filter = ("kind", "role", "active")
    search_fields = ("code", "name", "name_zh", "role", "skills")


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_zh", "version", "updated_at")
    search_fields = ("name", "name_zh", "description")


@admin.register(CapacityChange)
class CapacityChangeAdmin(ReadOnlyAdmin):
    list_display = ("resource", "scenario", "first", "last", "fte", "reason")


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("resource", "project", "scenario", "first", "last", "fte", "status", "source")
    list_filter = ("status", "source")
    list_select_related = ("resource", "project", "scenario")
    search_fields = ("project__code", "resource__code")


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("name", "state", "created_by", "created_at", "closed_at")


@admin.register(LevelingRun)
class LevelingRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "scenario", "state", "phase", "time_limit", "created_at", "finished_at")
    list_filter = ("state",)
    list_select_related = ("scenario",)

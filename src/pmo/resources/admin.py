"""Django admin: PMO administrators look up resources, allocations and scenarios.

Read-only: changes go through the services (pages, API, capacity sheet) so that every
change is validated, version-checked and audited.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pmo.resources.models import Allocation, CapacityChange, LevelingRun, Resource, Scenario


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(ReadOnly):
    list_display = ("code", "name", "kind", "role", "org_unit", "fte", "active")
    list_filter = ("kind", "role", "active")
    search_fields = ("code", "name", "name_zh", "role", "skills")


@admin.register(CapacityChange)
class CapacityChangeAdmin(ReadOnly):
    list_display = ("resource", "scenario", "first", "last", "fte", "reason")


@admin.register(Allocation)
class AllocationAdmin(ReadOnly):
    list_display = ("resource", "project", "scenario", "first", "last", "fte", "status", "source")
    list_filter = ("status", "source")
    list_select_related = ("resource", "project", "scenario")
    search_fields = ("project__code", "resource__code")


@admin.register(Scenario)
class ScenarioAdmin(ReadOnly):
    list_display = ("name", "state", "created_by", "created_at", "closed_at")


@admin.register(LevelingRun)
class LevelingRunAdmin(ReadOnly):
    list_display = ("pk", "scenario", "state", "phase", "time_limit", "created_at", "finished_at")
    list_filter = ("state",)
    list_select_related = ("scenario",)

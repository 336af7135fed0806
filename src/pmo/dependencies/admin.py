from typing import Any

from django.contrib import admin

from pmo.dependencies.models import (
    ChangeRequest,
    ChangeResponse,
    ChangeStep,
    Dependency,
    Notification,
)


@admin.register(Dependency)
class DependencyAdmin(admin.ModelAdmin):
    list_display = ("id", "supplier_project", "consumer_project", "type", "status", "agreed_date")
    list_filter = ("status", "type", "criticality")
    raw_id_fields = (
        "supplier_project",
        "supplier_milestone",
        "supplier_task",
        "supplier_gate",
        "consumer_project",
        "consumer_milestone",
        "consumer_task",
        "consumer_gate",
        "supplier_owner",
        "consumer_owner",
    )


class ChangeStepInline(admin.TabularInline):
    model = ChangeStep
    extra = 0
    readonly_fields = ("action", "from_state", "to_state", "actor", "note", "at")
    can_delete = False


class ChangeResponseInline(admin.TabularInline):
    """The affected projects' answers: given on the request's page (audited), read here."""

    model = ChangeResponse
    extra = 0
    readonly_fields = ("project", "answer", "reason", "responder", "answered_at")
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """Read-mostly: the workflow runs through the services (audited), not the admin."""

    list_display = ("code", "project", "type", "title", "state", "needs_steering")
    list_filter = ("state", "type", "needs_steering")
    readonly_fields = ("state", "impact", "decided_by", "decided_at", "applied_by", "applied_at")
    raw_id_fields = ("project", "program", "requested_by", "slip_milestone", "slip_task")
    filter_horizontal = ("affected_projects",)
    inlines = [ChangeStepInline, ChangeResponseInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
    raw_id_fields = ("user", "change")

from typing import Any

from django import forms
from django.contrib import admin

from pmo.audit.admin import AuditedAdmin
from pmo.core.errors import FieldError
from pmo.dependencies.changes.common import change_scopes
from pmo.dependencies.ended import check_affected
from pmo.dependencies.models import (
    ChangeRequest,
    ChangeResponse,
    ChangeStep,
    Dependency,
    Notification,
)


@admin.register(Dependency)
class DependencyAdmin(AuditedAdmin):
    """Changes here are audited in both projects' histories, as the register's."""

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

    def audit_scopes(self, obj: Any) -> list[str]:
        return [f"project:{i}" for i in sorted({obj.supplier_project_id, obj.consumer_project_id})]


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


class ChangeRequestForm(forms.ModelForm):
    """An ended project is not added to the affected projects (one that ended after it
    was named stays: the request's history). The admin supplies the model and fields."""

    def clean_affected_projects(self) -> Any:
        projects = self.cleaned_data["affected_projects"]
        before: set[int] = set()
        if self.instance.pk:
            before = set(self.instance.affected_projects.values_list("pk", flat=True))
        try:
            check_affected([p for p in projects if p.pk not in before])
        except FieldError as exc:
            raise forms.ValidationError(exc.errors[0]["message"]) from None
        return projects


@admin.register(ChangeRequest)
class ChangeRequestAdmin(AuditedAdmin):
    """Read-mostly: the workflow runs through the services, not the admin. What is changed
    here is audited in the request's scopes (its projects, or its program) all the same."""

    form = ChangeRequestForm

    list_display = ("code", "project", "type", "title", "state", "needs_steering")
    list_filter = ("state", "type", "needs_steering")
    readonly_fields = (
        "state",
        "impact",
        "steering_compared_on",
        "decided_by",
        "decided_at",
        "applied_by",
        "applied_at",
    )
    raw_id_fields = ("project", "program", "requested_by", "slip_milestone", "slip_task")
    filter_horizontal = ("affected_projects",)
    inlines = [ChangeStepInline, ChangeResponseInline]

    def audit_scopes(self, obj: Any) -> list[str]:
        return change_scopes(obj)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
    raw_id_fields = ("user", "change")

"""Django admin: governance records are read-only here (they change through the services)."""

from django.contrib import admin

from pmo.core.admin import ReadOnlyAdmin
from pmo.governance.models import (
    GateCondition,
    GateDecision,
    GateReview,
    LifecycleTemplate,
    ProjectLifecycle,
    SteeringMeeting,
)


@admin.register(LifecycleTemplate)
class LifecycleTemplateAdmin(ReadOnlyAdmin):
    list_display = ("code", "revision", "name", "pmo_type", "builtin")


@admin.register(ProjectLifecycle)
class ProjectLifecycleAdmin(ReadOnlyAdmin):
    list_display = ("project", "template", "current_phase", "state", "next_gate_due")
    list_select_related = ("project", "template", "current_phase")


@admin.register(GateReview)
class GateReviewAdmin(ReadOnlyAdmin):
    list_display = ("id", "lifecycle", "gate", "state", "scheduled_for")
    list_select_related = ("lifecycle__project", "lifecycle__template", "gate")


@admin.register(GateDecision)
class GateDecisionAdmin(ReadOnlyAdmin):
    list_display = ("review", "outcome", "decided_on", "decided_by_name")
    list_select_related = ("review__gate",)


@admin.register(GateCondition)
class GateConditionAdmin(ReadOnlyAdmin):
    list_display = ("text", "project", "owner", "due_date", "status")
    list_select_related = ("project", "owner")


@admin.register(SteeringMeeting)
class SteeringMeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "location")

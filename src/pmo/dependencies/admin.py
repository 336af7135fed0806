from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from pmo.audit.admin import AuditedAdmin, AuditMixin
from pmo.core.errors import FieldError
from pmo.dependencies.changes.common import change_scopes, needs_steering
from pmo.dependencies.ended import check_affected
from pmo.dependencies.models import (
    ChangeRequest,
    ChangeResponse,
    ChangeState,
    ChangeStep,
    Dependency,
    Notification,
)

#: The fields the admin may change that the steering rule reads (the cost's currency is
#: its project's, or at program level its program's projects').
STEERING_INPUTS = ("cost_impact", "effort_impact", "project", "program")
#: Until the PMO approves, the flag is still ahead of the request (it decides whether the
#: approval goes on to the steering committee); after that it records the route taken.
FLAG_AHEAD = (ChangeState.DRAFT, ChangeState.PM_REVIEW, ChangeState.PMO_REVIEW)
#: Decided (approved or rejected, at whichever review) or applied: the decision is on record
#: for good, so the admin deletes such a request neither alone nor with its project. A draft,
#: one under review or a withdrawn one may be deleted (audited).
DECIDED = (ChangeState.APPROVED, ChangeState.REJECTED, ChangeState.APPLIED)


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
    was named stays: the request's history). The admin supplies the model and fields.

    The steering flag is the services' (:func:`~pmo.dependencies.changes.common.needs_steering`):
    a request added here, or changed while the flag is still ahead of it, is compared with
    the thresholds again today and stores that day, as a change through the API or the web
    form does; once past the PMO review its cost, effort and project no longer change here."""

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

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # (not in the stubs)
        cr = self.instance
        if cr.pk is not None and not self.has_changed():
            return  # a save that changes nothing leaves the flag, and its day, alone
        if cr.pk is not None and cr.state not in FLAG_AHEAD:
            for name in STEERING_INPUTS:
                if name in self.changed_data:
                    self.add_error(
                        name,
                        gettext(
                            "can no longer change here: the request is past the PMO review, "
                            "where its steering flag set its route"
                        ),
                    )
            return
        if self.errors:
            return
        cr.steering_compared_on = timezone.localdate()
        cr.needs_steering = needs_steering(cr, cr.steering_compared_on)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(AuditedAdmin):
    """Read-mostly: the workflow runs through the services, not the admin. What is changed
    here is audited in the request's scopes (its projects, or its program) all the same. A
    decided or applied request (:data:`DECIDED`) is not deleted here, nor with its project
    (Django asks each object's admin before a cascade); its decision is never typed in."""

    form = ChangeRequestForm

    list_display = ("code", "project", "type", "title", "state", "needs_steering")
    list_filter = ("state", "type", "needs_steering")
    # The slip and its impact are set by the services, which also recompute the affected
    # projects and ask them again (the admin's plain save would skip that); the steering
    # flag is computed by the form, never typed in.
    readonly_fields = (
        "state",
        "slip_milestone",
        "slip_task",
        "slip_days",
        "impact",
        "needs_steering",
        "steering_compared_on",
        "decision_note",
        "decided_by",
        "decided_at",
        "applied_by",
        "applied_at",
    )
    raw_id_fields = ("project", "program", "requested_by")
    filter_horizontal = ("affected_projects",)
    inlines = [ChangeStepInline, ChangeResponseInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.state in DECIDED:
            return False
        return super().has_delete_permission(request, obj)

    def kept_reason(self, queryset: QuerySet[Any]) -> str:
        if queryset.filter(state__in=DECIDED).exists():
            return gettext(
                "Decided and applied change requests are kept on record: they are never "
                "deleted. Only requests not yet decided can be deleted."
            )
        return ""

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # the admin's own pages never get here with a decided request (they ask
        # has_delete_permission of each one first); nothing else may either
        if queryset.filter(state__in=DECIDED).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def audit_scopes(self, obj: Any) -> list[str]:
        return change_scopes(obj)


@admin.register(Notification)
class NotificationAdmin(AuditMixin, admin.ModelAdmin):
    """A notification changed or deleted here is on record in its reader's history."""

    def audit_scope(self, obj: Any) -> str:
        return f"user:{obj.user_id}"

    list_display = ("user", "message", "created_at", "read_at")
    raw_id_fields = ("user", "change")

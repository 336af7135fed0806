"""Django admin for PMO administrators. Status reports are read-only here: a submitted one is
immutable, a draft may only be deleted.

Adding, changing and deleting projects, milestones, RAID items, portfolios, programs and draft
status reports here is audited like the pages' and the API's changes
(:class:`~pmo.audit.admin.AuditedAdmin`)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pmo.audit.admin import AuditedAdmin
from pmo.core.errors import FieldError
from pmo.portfolio.currencies import currencies_in_use, currency_choices
from pmo.portfolio.models import (
    Action,
    Assumption,
    Decision,
    Issue,
    Milestone,
    Portfolio,
    Program,
    Project,
    ReportState,
    Risk,
    StatusReport,
)
from pmo.portfolio.services.common import scope_of
from pmo.portfolio.services.projects import check_new_code, check_project, fill_finish_dates


@admin.register(Portfolio)
class PortfolioAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_zh")
    search_fields = ("code", "name", "name_zh")

    def audit_scope(self, obj: Any) -> str:
        return f"portfolio:{obj.code}"


@admin.register(Program)
class ProgramAdmin(AuditedAdmin):
    list_display = ("code", "name", "name_zh", "portfolio")
    list_select_related = ("portfolio",)
    search_fields = ("code", "name", "name_zh")

    def audit_scope(self, obj: Any) -> str:
        # as a program-level change request's events (pmo.dependencies.changes.common)
        return f"program:{obj.code}"


class ProjectAdminForm(forms.ModelForm):
    """The project's currency from a select: the base currency, the codes in use and the
    common ones, named in the reader's language (and the stored code, even one that is not
    ISO 4217, so that saving other fields keeps it)."""

    currency = forms.ChoiceField()

    class Meta:
        model = Project
        fields = "__all__"  # noqa: DJ007  (the admin form shows every field, as before)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.currency if self.instance.pk else ""
        field = self.fields["currency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = currency_choices(currencies_in_use(), current=stored)
        field.label = Project._meta.get_field("currency").verbose_name

    def _post_clean(self) -> None:
        # The admin saves without the services: it asks their questions (a new or changed
        # code unlike any other, also by case; the program of the portfolio; no finish
        # before the start) and, for a new project, fills the baseline and forecast finish
        # as they do.
        super()._post_clean()  # type: ignore[misc]  # (not in the stubs)
        project = self.instance
        try:
            if "code" not in self.errors and (project.pk is None or "code" in self.changed_data):
                check_new_code(project.code, project=project)
            if project.pk is None:
                fill_finish_dates(project)
            check_project(project, changed=None if project.pk is None else set(self.changed_data))
        except FieldError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    form = ProjectAdminForm
    list_display = ("code", "name", "program", "pmo_type", "phase", "state", "manager")
    list_filter = ("pmo_type", "phase", "state", "strategic")
    search_fields = ("code", "name", "name_zh")
    list_select_related = ("program", "manager")
    # people are picked by name (the person admin's search), not typed in as ids
    autocomplete_fields = ("sponsor", "manager")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Ending a project has consequences (allocations released, change requests withdrawn,
        # the lifecycle stopped, managers told) that only its own edit page and the API set
        # off: the admin's plain save would skip them all.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "state") if obj is not None else fields

    def audit_scope(self, obj: Any) -> str:
        return scope_of(obj)


@admin.register(StatusReport)
class StatusReportAdmin(AuditedAdmin):
    """Read here, written on the project's pages and through the API. A submitted report (every
    revision) is immutable: neither changed nor deleted here, nor deleted with its project
    (Django asks each object's admin before a cascade). A draft may be deleted, on record in
    its project's history like the other admin deletions."""

    list_display = (
        "project",
        "period",
        "revision",
        "state",
        "overall",
        "is_current",
        "submitted_at",
    )
    list_filter = ("state", "is_current")
    search_fields = ("project__code",)
    list_select_related = ("project",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.state != ReportState.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def kept_reason(self, queryset: QuerySet[Any]) -> str:
        if queryset.exclude(state=ReportState.DRAFT).exists():
            return _(
                "Submitted status reports are kept on record: they are never changed or "
                "deleted, a correction is a new revision. Only drafts can be deleted."
            )
        return ""

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # the admin's own pages never get here with a submitted report (they ask
        # has_delete_permission of each one first); nothing else may either
        if queryset.exclude(state=ReportState.DRAFT).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def audit_scope(self, obj: Any) -> str:
        return scope_of(obj.project)


class ProjectItemAdmin(AuditedAdmin):
    """Milestones and RAID items: filed under their project's history."""

    list_display = ("__str__", "project")
    list_select_related = ("project",)

    def audit_scope(self, obj: Any) -> str:
        return scope_of(obj.project)


for model in (Milestone, Risk, Issue, Action, Decision, Assumption):
    admin.site.register(model, ProjectItemAdmin)

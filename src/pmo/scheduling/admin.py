"""Django admin: PMO administrators enter calendar exceptions (e.g. next year's official
holidays and 调休 working days) and look at plans. Plans change through the Gantt, the
API and imports, which recompute the schedule; editing a calendar here takes effect at the
plan's next recomputation. Changes to plans, baselines and calendars (with their exceptions) made
here are audited in the project's history (:class:`~pmo.audit.admin.AuditedAdmin`)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pmo.audit.admin import AuditedAdmin
from pmo.core.errors import DomainError
from pmo.portfolio.services.common import scope_of
from pmo.scheduling.models import Baseline, Calendar, CalendarException, Plan
from pmo.scheduling.services import recompute_plans


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 1


@admin.register(Calendar)
class CalendarAdmin(AuditedAdmin):
    """A calendar and its exceptions: a change (weekly hours, holidays, an exception added,
    changed or removed) is on record in its project's history, the exceptions as they were
    and became."""

    list_display = ("name", "uid", "plan", "base", "holidays")
    list_select_related = ("plan__project", "base")
    search_fields = ("name", "plan__project__code")
    inlines = [CalendarExceptionInline]

    def audit_scope(self, obj: Any) -> str:
        return scope_of(obj.plan.project)

    def audit_related(self, obj: Any) -> dict[str, Any]:
        """The calendar's exceptions (dates, name and hours), read from the database."""
        if obj.pk is None:
            return {}
        return {
            "exceptions": [
                {
                    "first": e.first.isoformat(),
                    "last": e.last.isoformat(),
                    "name": e.name,
                    "hours": e.hours,
                }
                for e in CalendarException.objects.filter(calendar=obj).order_by("first", "pk")
            ]
        }


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("project", "start", "finish", "state", "computed_at")
    list_select_related = ("project",)
    search_fields = ("project__code", "name")
    readonly_fields = ("project", "finish", "state", "problem", "computed_at", "assumed_years")
    exclude = ("calendar",)
    actions = ["recompute"]

    def audit_scope(self, obj: Any) -> str:
        return scope_of(obj.project)

    @admin.action(description=_("Recompute the selected plans"))
    def recompute(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        try:
            count = recompute_plans(actor=request.user, plans=list(queryset))  # type: ignore[arg-type]
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, _("%(n)s plans recomputed.") % {"n": count})


@admin.register(Baseline)
class BaselineAdmin(AuditedAdmin):
    list_display = ("plan", "number", "name", "saved_at")
    list_select_related = ("plan__project",)
    readonly_fields = ("plan", "number", "saved_at")

    def audit_scope(self, obj: Any) -> str:
        return scope_of(obj.plan.project)

"""The audit trail in the admin (read-only), and :class:`AuditedAdmin`: admin saves and deletes
recorded like the services' changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from pmo.audit.models import AuditAction, AuditEvent
from pmo.audit.services import diff, record, snapshot
from pmo.core.admin import VersionedAdmin

__all__ = ["AuditedAdmin"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited, even by an admin."""

    list_display = ("timestamp", "actor_name", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_name", "scope")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


def _in_utc(obj: Any) -> Any:
    """``obj`` with its date-times in UTC, as read from the database: the admin's form gives
    them in the reader's time zone, and the same instant must not count as a change."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            value = getattr(obj, field.attname)
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                setattr(obj, field.attname, value.astimezone(dt.UTC))
    return obj


class AuditedAdmin(VersionedAdmin):
    """Adding, changing and deleting in the admin writes the same audit events as the services
    (created / updated with ``{field: [before, after]}`` / deleted, the admin user as actor),
    so that a project's history also shows what was done here. A change bumps ``version`` as
    the services do, so that a page opened before it gets a 409 instead of overwriting it.

    Subclasses say which history an object belongs to with :meth:`audit_scope`, or with
    :meth:`audit_scopes` when the services file its events in several (one event each).
    """

    def audit_scope(self, obj: Any) -> str:
        """The scope the object's events are filed under (``<model>:<pk>`` unless overridden)."""
        return f"{obj._meta.model_name}:{obj.pk}"

    def audit_scopes(self, obj: Any) -> list[str]:
        """Every scope an event of ``obj`` is filed under (:meth:`audit_scope` alone unless
        overridden)."""
        return [self.audit_scope(obj)]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            if not change:
                super().save_model(request, obj, form, change)
                self._record(request, AuditAction.CREATE, obj, diff({}, snapshot(_in_utc(obj))))
                return
            # the form has already written its values onto ``obj``: the stored row is "before"
            model: type[models.Model] = type(obj)
            stored = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
            changes = diff(snapshot(_in_utc(stored)), snapshot(_in_utc(obj)))
            if changes and hasattr(stored, "version"):
                obj.version = stored.version + 1
            super().save_model(request, obj, form, change)
            if changes:
                self._record(request, AuditAction.UPDATE, obj, changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record_deletion(request, obj)
            super().delete_queryset(request, queryset)

    def _record_deletion(self, request: HttpRequest, obj: Any) -> None:
        # recorded while the row (and its pk) still exist
        self._record(request, AuditAction.DELETE, obj, diff(snapshot(obj), {}))

    def _record(
        self, request: HttpRequest, action: AuditAction, obj: Any, changes: dict[str, Any]
    ) -> None:
        for scope in self.audit_scopes(obj):
            record(actor=request.user, action=action, instance=obj, scope=scope, changes=changes)

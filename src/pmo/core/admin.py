"""What the apps' admin classes share (this app registers no models)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

__all__ = ["ReadOnlyAdmin", "ReadOnlyMixin", "VersionedAdmin"]


class VersionedAdmin(admin.ModelAdmin):
    """An admin for a :class:`~pmo.core.models.VersionedModel`: ``version`` is the optimistic
    lock's counter, so it is not typed in: left out of the add form, read-only on the change
    form. Models without one are left as they are."""

    def _versioned(self) -> bool:
        return any(f.name == "version" for f in self.model._meta.concrete_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(f for f in super().get_readonly_fields(request, obj) if f != "version")
        return fields if obj is None or not self._versioned() else (*fields, "version")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = tuple(super().get_exclude(request, obj) or ())
        return (*exclude, "version") if obj is None and self._versioned() else exclude


class ReadOnlyMixin:
    """Lists and shows, never adds, changes or deletes: the rows change through the services
    (validated and audited), or never. Mix it in before a ``ModelAdmin`` (a third party's
    too)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A read-only admin (:class:`ReadOnlyMixin`)."""

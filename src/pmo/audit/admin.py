"""The audit trail in the admin (read-only); :class:`AuditedAdmin`: admin saves and deletes
recorded like the services' changes, and shown on the object's History page; and the accounts
app's users, org units, people and API tokens audited the same way (registered again here: the
accounts app sits below this one and cannot import it), as are Django's groups and the
sign-in lockouts of django-axes, whose access logs the admin only reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts import admin as accounts_admin
from pmo.accounts.models import ApiToken, OrgUnit, Person, User
from pmo.audit.display import shown_events
from pmo.audit.models import AuditAction, AuditEvent
from pmo.audit.services import diff, record, snapshot
from pmo.core.admin import ReadOnlyMixin, VersionedAdmin

__all__ = ["HISTORY_LIMIT", "SECRET_CHANGED", "AuditMixin", "AuditedAdmin"]

#: The most recent events an object's History page lists.
HISTORY_LIMIT = 200
#: What is recorded for a secret field that changed (a password): never its value or hash.
SECRET_CHANGED = "changed"


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


_PENDING = "_audit_pending"


class AuditMixin:
    """Adding, changing and deleting in the admin writes the same audit events as the services
    (created / updated with ``{field: [before, after]}`` / deleted, the admin user as actor),
    and the object's History page lists them. A change bumps ``version`` as the services do, so
    that a page opened before it gets a 409 instead of overwriting it.

    Mix it in before a :class:`~django.contrib.admin.ModelAdmin`. Subclasses say which history
    an object belongs to with :meth:`audit_scope` (or :meth:`audit_scopes` for several, one
    event each), leave secrets out with :attr:`audit_secrets` (recorded as "changed", never
    their value), and add values kept outside the row (many-to-many fields, the other side of
    a relation) with :meth:`audit_related`. The event is written once the related objects are
    saved too (:meth:`save_related`), in the admin's transaction.
    """

    audit_secrets: tuple[str, ...] = ()
    object_history_template: Any = "admin/audit/object_history.html"

    def audit_scope(self, obj: Any) -> str:
        """The scope the object's events are filed under (``<model>:<pk>`` unless overridden)."""
        return f"{obj._meta.model_name}:{obj.pk}"

    def audit_scopes(self, obj: Any) -> list[str]:
        """Every scope an event of ``obj`` is filed under (:meth:`audit_scope` alone unless
        overridden)."""
        return [self.audit_scope(obj)]

    def audit_related(self, obj: Any) -> dict[str, Any]:
        """Values of ``obj`` stored outside its row, read from the database (none by default)."""
        return {}

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        values = snapshot(_in_utc(obj))
        for name in self.audit_secrets:
            values.pop(name, None)
        return values

    def _secrets_changed(self, before: Any, after: Any) -> dict[str, list[Any]]:
        return {
            name: [None, SECRET_CHANGED]
            for name in self.audit_secrets
            if getattr(before, name) != getattr(after, name)
        }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            if not change:
                super().save_model(request, obj, form, change)  # type: ignore[misc]
                changes = diff({}, self.audit_snapshot(obj))
                setattr(obj, _PENDING, (AuditAction.CREATE, changes, {}))
                return
            # the form has already written its values onto ``obj``: the stored row is "before"
            model: type[models.Model] = type(obj)
            stored = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
            changes = diff(self.audit_snapshot(stored), self.audit_snapshot(obj))
            changes.update(self._secrets_changed(stored, obj))
            if changes and hasattr(stored, "version"):
                obj.version = stored.version + 1
            related = self.audit_related(stored)
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            setattr(obj, _PENDING, (AuditAction.UPDATE, changes, related))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        pending = obj.__dict__.pop(_PENDING, None)
        if pending is None:
            return
        action, changes, before = pending
        after = self.audit_related(obj)
        for name in after:
            old = before.get(name) if action == AuditAction.UPDATE else None
            if old != after[name] and (old or after[name]):
                changes[name] = [old, after[name]]
        if action == AuditAction.CREATE or changes:
            self._record(request, action, obj, changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._record_deletion(request, obj)
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record_deletion(request, obj)
            super().delete_queryset(request, queryset)  # type: ignore[misc]

    def _record_deletion(self, request: HttpRequest, obj: Any) -> None:
        # recorded while the row (and its pk) still exist
        values = {**self.audit_snapshot(obj), **self.audit_related(obj)}
        self._record(request, AuditAction.DELETE, obj, diff(values, {}))

    def _record(
        self, request: HttpRequest, action: AuditAction, obj: Any, changes: dict[str, Any]
    ) -> None:
        for scope in self.audit_scopes(obj):
            record(actor=request.user, action=action, instance=obj, scope=scope, changes=changes)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Django's History page with the audit trail's events of the object above its log:
        who changed which field from what to what."""
        model: type[models.Model] = self.model  # type: ignore[attr-defined]
        events = AuditEvent.objects.filter(
            object_type=model._meta.label_lower, object_id=str(unquote(object_id))
        ).select_related("actor__person")
        shown = shown_events(list(events[:HISTORY_LIMIT]))
        context = {**(extra_context or {}), "audit_events": shown}
        return super().history_view(request, object_id, context)  # type: ignore[misc, no-any-return]


class AuditedAdmin(AuditMixin, VersionedAdmin):
    """A :class:`~pmo.core.admin.VersionedAdmin` whose changes are audited (:class:`AuditMixin`).

    A deletion the app refuses (rows kept on record, or rows that hold such rows) goes back
    with a message saying why, from the delete page and from the list's action alike, not
    to the role's 403 page or Django's "your account doesn't have permission".
    """

    def kept_reason(self, queryset: QuerySet[Any]) -> str:
        """Why rows of ``queryset`` are never deleted ("" when they may be): admins of rows
        kept on record say so."""
        return ""

    def deletion_refused(self, request: HttpRequest, queryset: QuerySet[Any]) -> str:
        """Why deleting ``queryset`` is refused ("" when it is not): the rows are kept, or
        they hold rows whose admin refuses their deletion (Django's cascade)."""
        if reason := self.kept_reason(queryset):
            return reason
        _deleted, _counts, kept, _protected = self.get_deleted_objects(queryset, request)
        if not kept:
            return ""
        return _(
            "Nothing was deleted: it holds records that are kept (%(kept)s). Submitted status "
            "reports and decided change requests are never deleted."
        ) % {"kept": pgettext("list separator", ", ").join(sorted(str(name) for name in kept))}

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_permission(request, obj):
            rows = self.model._default_manager.filter(pk=obj.pk)
            if reason := self.deletion_refused(request, rows):
                self.message_user(request, reason, messages.ERROR)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(
                        f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                        args=[obj.pk],
                    )
                )
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        entry: Any = actions.get("delete_selected")
        if entry is not None:
            delete, name, description = entry

            def delete_selected(
                modeladmin: AuditedAdmin, request: HttpRequest, queryset: QuerySet[Any]
            ) -> Any:
                if reason := modeladmin.deletion_refused(request, queryset):
                    modeladmin.message_user(request, capfirst(reason), messages.ERROR)
                    return None  # back to the list, nothing deleted
                return delete(modeladmin, request, queryset)

            actions["delete_selected"] = (delete_selected, name, description)
        return actions


# --- the accounts app's admins, audited -----------------------------------------------------


class AuditedUserAdmin(AuditMixin, accounts_admin.UserAdmin):
    """Users: a role, staff or superuser flag, group or permission granted is on record, with
    the admin who did it; the password only as "changed"."""

    audit_secrets = ("password",)

    def audit_scope(self, obj: Any) -> str:
        return f"user:{obj.pk}"

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        values = super().audit_snapshot(obj)
        values.pop("last_login", None)  # signing in is not a change made here
        return values

    def audit_related(self, obj: Any) -> dict[str, Any]:
        """The user's groups and permissions (ids) and their person (by name, as it was)."""
        if obj.pk is None:
            return {}
        person = Person.objects.filter(user=obj).first()
        return {
            "groups": sorted(obj.groups.values_list("pk", flat=True)),
            "user_permissions": sorted(obj.user_permissions.values_list("pk", flat=True)),
            "person": person.name if person is not None else None,
        }

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """The admin's "change password" form, on record as "password: changed"."""
        users = self.model._default_manager
        with transaction.atomic():
            before = users.filter(pk=unquote(id)).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = users.filter(pk=unquote(id)).first()
            if user is not None and before is not None and user.password != before:
                self._record(
                    request, AuditAction.UPDATE, user, {"password": [None, SECRET_CHANGED]}
                )
        return response


class AuditedOrgUnitAdmin(AuditMixin, accounts_admin.OrgUnitAdmin):
    def audit_scope(self, obj: Any) -> str:
        return f"org-unit:{obj.code}"


class AuditedPersonAdmin(AuditMixin, accounts_admin.PersonAdmin):
    def audit_scope(self, obj: Any) -> str:
        return f"person:{obj.pk}"


class AuditedApiTokenAdmin(AuditMixin, accounts_admin.ApiTokenAdmin):
    """An API token renamed, revoked or deleted is on record in its user's history; its hash
    never (:attr:`audit_secrets`: recorded as "changed", which it never is here), nor when it
    was last used (signing in with it is not a change made here)."""

    audit_secrets = ("key_hash",)

    def audit_scope(self, obj: Any) -> str:
        return f"user:{obj.user_id}"

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        values = super().audit_snapshot(obj)
        values.pop("last_used_at", None)
        return values


class AuditedGroupAdmin(AuditMixin, GroupAdmin):
    """A group's permissions pass to every user in it: a permission granted or taken away is
    on record (as ``app.codename``), with the admin who did it."""

    def audit_scope(self, obj: Any) -> str:
        return f"group:{obj.pk}"

    def audit_related(self, obj: Any) -> dict[str, Any]:
        if obj.pk is None:
            return {}
        return {
            "permissions": sorted(
                f"{app}.{codename}"
                for app, codename in obj.permissions.values_list(
                    "content_type__app_label", "codename"
                )
            )
        }


class AuditedAccessAttemptAdmin(AuditMixin, AccessAttemptAdmin):
    """Deleting a user's failed sign-ins unlocks them: on record in the user's history (or
    under the name tried, when no user has it) with the admin who did it. Only who tried,
    from where and how often is kept, never the form data."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("cleanup_expired_attempts", None)  # axes' own: deletes without a record
        return actions

    def audit_scope(self, obj: Any) -> str:
        user = User.objects.filter(username=obj.username).only("pk").first()
        return f"user:{user.pk}" if user is not None else f"sign-in:{obj.username}"

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        values = super().audit_snapshot(obj)
        kept = ("username", "ip_address", "failures_since_start", "attempt_time")
        return {name: values[name] for name in kept if name in values}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every field is read-only: deleting is the one thing done here


class ReadOnlyAccessLogAdmin(ReadOnlyMixin, AccessLogAdmin):
    """Read here, never changed or deleted (``pmo axes_reset_logs`` prunes it, ADR 0011)."""


class ReadOnlyAccessFailureLogAdmin(ReadOnlyMixin, AccessFailureLogAdmin):
    """Read here, never changed or deleted (``pmo axes_reset_logs`` prunes it, ADR 0011)."""


for _model, _audited in (
    (User, AuditedUserAdmin),
    (OrgUnit, AuditedOrgUnitAdmin),
    (Person, AuditedPersonAdmin),
    (ApiToken, AuditedApiTokenAdmin),
    (Group, AuditedGroupAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AccessLog, ReadOnlyAccessLogAdmin),
    (AccessFailureLog, ReadOnlyAccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _audited)

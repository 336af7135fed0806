"""Recording changes. Services call :func:`record` inside their transaction; one that changes
many rows at once (an import) builds the events with :func:`build_event` and writes them with
:func:`record_all`, a few queries however many there are. An edit of a versioned row saves
and records it with :func:`save_changed` (only when something changed) or
:func:`save_update`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models

from pmo.audit.models import AuditAction, AuditEvent

__all__ = [
    "BATCH",
    "build_event",
    "diff",
    "record",
    "record_all",
    "record_created",
    "record_deleted",
    "save_changed",
    "save_update",
    "snapshot",
]

BATCH = 500  # events per INSERT of record_all


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited values of ``instance`` (concrete fields; foreign keys as ids)."""
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"created_at", "updated_at", "version"}:
            continue
        result[field.name] = _plain(getattr(instance, field.attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def build_event(
    *,
    actor: Any,
    action: AuditAction | str,
    instance: models.Model,
    scope: str,
    changes: dict[str, list[Any]],
) -> AuditEvent:
    """The event :func:`record` writes, not saved (``instance`` must have its id)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        actor=user,
        actor_name=getattr(user, "username", "") or "system",
        action=str(action),
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        scope=scope,
        changes=changes,
    )


def record(
    *,
    actor: Any,
    action: AuditAction | str,
    instance: models.Model,
    scope: str,
    changes: dict[str, list[Any]],
) -> AuditEvent:
    """Write one audit event for a change to ``instance`` made by ``actor``."""
    built = build_event(actor=actor, action=action, instance=instance, scope=scope, changes=changes)
    built.save()
    return built


def record_created(*, actor: Any, instance: models.Model, scope: str) -> AuditEvent:
    """Record ``instance``, just saved, as created by ``actor`` with all its values."""
    changes = diff({}, snapshot(instance))
    return record(
        actor=actor, action=AuditAction.CREATE, instance=instance, scope=scope, changes=changes
    )


def record_deleted(*, actor: Any, instance: models.Model, scope: str) -> AuditEvent:
    """Record ``instance``, about to be deleted, as deleted by ``actor`` with the values it
    had (call it before the delete: the event names the row by its id)."""
    changes = diff(snapshot(instance), {})
    return record(
        actor=actor, action=AuditAction.DELETE, instance=instance, scope=scope, changes=changes
    )


def record_all(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write ``events`` (made by :func:`build_event`) in batches of :data:`BATCH`, in order."""
    return AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def save_update(
    *,
    actor: Any,
    instance: Any,
    scope: str,
    changes: dict[str, list[Any]],
    update_fields: list[str] | None = None,
    save: Callable[[], None] | None = None,
) -> None:
    """Raise the ``version`` of ``instance`` (a versioned row), save it (``update_fields``
    only, when given; or by calling ``save``) and record ``changes`` as its update."""
    instance.version += 1
    if save is not None:
        save()
    else:
        instance.save(update_fields=update_fields)
    record(actor=actor, action=AuditAction.UPDATE, instance=instance, scope=scope, changes=changes)


def save_changed(
    *,
    actor: Any,
    instance: Any,
    before: dict[str, Any],
    scope: str,
    also: dict[str, list[Any]] | None = None,
    save: Callable[[], None] | None = None,
) -> dict[str, list[Any]]:
    """Save and record ``instance`` as :func:`save_update` does if its audited values differ
    from ``before`` (its :func:`snapshot` when read): an edit that changes nothing keeps its
    version and writes nothing. ``also`` is recorded with the changes (not counted as one);
    returns the changes (empty: nothing written)."""
    changes = diff(before, snapshot(instance))
    if changes:
        recorded = {**changes, **(also or {})}
        save_update(actor=actor, instance=instance, scope=scope, changes=recorded, save=save)
    return changes

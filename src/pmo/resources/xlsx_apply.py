"""Writing a checked capacity sheet: resources and the current plan's capacity changes, each
change audited as its own event, in one transaction and a few queries whatever the rows.

A row of sheet ``Resources`` creates its resource or updates the one with its code; sheet
``Capacity`` gives, for each resource it names, the resource's capacity changes in the
current plan. Those are compared with the stored ones by resource and days: the same days
with the same FTE and reason are left as they are, the same days with another FTE or reason
are updated, stored days the sheet does not give are removed and the others added. Every
resource and capacity change created, changed or removed is one audit event (``changes``
before → after, as a change made on the resource page records it) that names the sheet in
the pseudo-field ``capacity_sheet`` (``[None, "<file name>"]``); what the sheet leaves as it
was records nothing (ADR 0006, *Capacity sheet*).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_noop

from pmo.accounts.models import User
from pmo.audit.models import AuditAction, AuditEvent
from pmo.audit.services import build_event, diff, record_all, snapshot
from pmo.resources.models import CapacityChange, Resource

__all__ = ["BATCH", "SHEET_KEY", "apply_sheet"]

BATCH = 500  # rows per INSERT / UPDATE
SHEET_KEY = "capacity_sheet"  # the pseudo-field naming the sheet in every event of an import
# its label where the trail is listed as recorded (the admin): read through the catalogue
SHEET_LABEL = gettext_noop("capacity sheet")
SCOPE = "resources"  # the current plan's (services.resources.RESOURCES_SCOPE)

Rows = list[tuple[int, dict[str, Any]]]


@transaction.atomic
def apply_sheet(*, actor: User | None, rows: Rows, capacity: Rows, sheet: str) -> dict[str, int]:
    """Write the checked rows of sheets ``Resources`` (``rows``) and ``Capacity``
    (``capacity``) of the file named ``sheet`` and their audit events; the counts the import
    answers with."""
    now = timezone.now()
    source = [None, sheet]
    events: list[AuditEvent] = []
    resources, created, updated = _resources(rows, now)
    for resource, changes in resources:
        action = AuditAction.UPDATE if changes is not None else AuditAction.CREATE
        recorded = changes if changes is not None else diff({}, snapshot(resource))
        events.append(_event(actor, action, resource, {**recorded, SHEET_KEY: source}))
    events.extend(_capacity(actor, capacity, now, source))
    record_all(events)
    return {
        "resources_created": created,
        "resources_updated": updated,
        "capacity_changes": len(capacity),
    }


def _event(
    actor: User | None, action: AuditAction, instance: Any, changes: dict[str, Any]
) -> AuditEvent:
    return build_event(actor=actor, action=action, instance=instance, scope=SCOPE, changes=changes)


def _resources(rows: Rows, now: Any) -> tuple[list[tuple[Resource, Any]], int, int]:
    """Create and update the resources of ``rows``: ``(resource, changes)`` for each one
    created (``changes`` None) or changed, and how many rows were new and how many matched a
    stored resource. A stored resource the row leaves as it is is not written."""
    codes = [row["code"] for _n, row in rows]
    stored = {r.code: r for r in Resource.objects.select_for_update().filter(code__in=codes)}
    new: list[Resource] = []
    changed: list[tuple[Resource, Any]] = []
    fields: set[str] = set()
    for _number, row in rows:
        resource = stored.get(row["code"])
        if resource is None:
            new.append(Resource(**row))
            continue
        before = snapshot(resource)
        for key, value in row.items():
            setattr(resource, key, value)
        changes = diff(before, snapshot(resource))
        if changes:
            resource.version += 1
            resource.updated_at = now
            fields.update(row)
            changed.append((resource, changes))
    # ids come back from the INSERT (SQLite 3.35+ and PostgreSQL): the events need them
    Resource.objects.bulk_create(new, batch_size=BATCH)
    _write([r for r, _c in changed], sorted(fields | {"version", "updated_at"}))
    done: list[tuple[Resource, Any]] = [(r, None) for r in new]
    return done + changed, len(new), len(rows) - len(new)


def _write(rows: list[Any], fields: list[str]) -> None:
    """``UPDATE ... WHERE id = %s`` for many rows of one model in one ``executemany``.

    ``bulk_update`` builds a ``CASE WHEN`` expression per row and field in Python: 2.7 s for
    1,000 resources of a sheet; the rows are checked already. (The scheduling app writes its
    tasks the same way.)
    """
    if not rows:
        return
    meta = rows[0]._meta
    columns: list[Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.column
        columns.append(field)
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in columns),
        quote(str(meta.pk.column if meta.pk else "id")),
    )
    params = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in columns] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _capacity(actor: User | None, capacity: Rows, now: Any, source: list[Any]) -> list[AuditEvent]:
    """Make the current plan's capacity changes of the resources ``capacity`` names what the
    sheet gives; the events of what was added, changed and removed."""
    ids = dict(
        Resource.objects.filter(code__in={e["resource"] for _n, e in capacity}).values_list(
            "code", "pk"
        )
    )
    stored: dict[tuple[int, Any, Any], list[CapacityChange]] = defaultdict(list)
    for change in (
        CapacityChange.objects.select_for_update()
        .filter(scenario=None, resource_id__in=ids.values())
        .order_by("pk")
    ):
        stored[(change.resource_id, change.first, change.last)].append(change)
    new: list[CapacityChange] = []
    changed: list[tuple[CapacityChange, dict[str, Any]]] = []
    for _number, entry in capacity:
        resource_id = ids[entry["resource"]]
        same_days = stored.get((resource_id, entry["first"], entry["last"]))
        if not same_days:
            new.append(
                CapacityChange(
                    resource_id=resource_id,
                    first=entry["first"],
                    last=entry["last"],
                    fte=entry["fte"],
                    reason=entry["reason"],
                )
            )
            continue
        change = same_days.pop(0)
        if change.fte == entry["fte"] and change.reason == entry["reason"]:
            continue
        before = snapshot(change)
        change.fte, change.reason = entry["fte"], entry["reason"]
        change.version += 1
        change.updated_at = now
        # the resource too, unchanged: the resource page finds its changes' events by it
        changes = {**diff(before, snapshot(change)), "resource": [resource_id, resource_id]}
        changed.append((change, changes))
    gone = [change for left in stored.values() for change in left]
    events = [
        _event(actor, AuditAction.DELETE, c, {**diff(snapshot(c), {}), SHEET_KEY: source})
        for c in gone
    ]
    for start in range(0, len(gone), BATCH):  # SQLite caps the parameters of one query
        CapacityChange.objects.filter(pk__in=[c.pk for c in gone[start : start + BATCH]]).delete()
    _write([c for c, _changes in changed], ["fte", "reason", "version", "updated_at"])
    events.extend(
        _event(actor, AuditAction.UPDATE, c, {**changes, SHEET_KEY: source})
        for c, changes in changed
    )
    CapacityChange.objects.bulk_create(new, batch_size=BATCH)
    events.extend(
        _event(actor, AuditAction.CREATE, c, {**diff({}, snapshot(c)), SHEET_KEY: source})
        for c in new
    )
    return events

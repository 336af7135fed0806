"""What a capacity sheet import did, or would do (a dry run): per resource, created or
updated with its fields before → after, and its capacity changes added, changed and removed;
who last changed a row the sheet overwrites or removes, and when (the audit trail, else the
row's ``updated_at``), with a flag on what someone else changed lately (since the day the
workbook was saved, at least the last :data:`RECENT_DAYS` days). The API answers it as
``ImportOut``; the import page shows it as the preview (ADR 0006)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Max
from django.utils import timezone

from pmo.accounts.models import OrgUnit, User
from pmo.audit.models import AuditEvent
from pmo.audit.services import snapshot

if TYPE_CHECKING:
    from pmo.resources.xlsx_apply import Plan

__all__ = ["RECENT_DAYS", "LastChange", "last_changes", "recent_since", "report"]

RECENT_DAYS = 7
BATCH = 500  # ids per query (SQLite caps the parameters of one)
HIDDEN = {"id", "capacity_sheet"}  # not a field a reader changes


class LastChange(NamedTuple):
    """Who last changed a stored row and when: ``by`` the audit event's actor name (None
    when no event was found and ``at`` is the row's ``updated_at``)."""

    by: str | None
    actor_id: int | None
    at: dt.datetime


def last_changes(plan: Plan) -> dict[tuple[str, int], LastChange]:
    """The last change of every stored row ``plan`` changes or removes, by ``("resource",
    pk)`` and ``("capacity", pk)``; read before the import records its own."""
    rows: dict[tuple[str, int], Any] = {("resource", r.pk): r for r, _c in plan.changed}
    rows.update({("capacity", c.pk): c for _code, c in plan.gone})
    rows.update({("capacity", c.pk): c for _code, c, _ch in plan.changed_changes})
    found: dict[tuple[str, int], LastChange] = {}
    for kind, object_type in (
        ("resource", "resources.resource"),
        ("capacity", "resources.capacitychange"),
    ):
        ids = [str(pk) for k, pk in rows if k == kind]
        for start in range(0, len(ids), BATCH):
            latest = (
                AuditEvent.objects.filter(
                    object_type=object_type, object_id__in=ids[start : start + BATCH]
                )
                .values("object_id")
                .annotate(last=Max("id"))
                .values("last")
            )
            for object_id, name, actor_id, at in AuditEvent.objects.filter(
                id__in=latest
            ).values_list("object_id", "actor_name", "actor_id", "timestamp"):
                found[(kind, int(object_id))] = LastChange(name or "system", actor_id, at)
    for key, row in rows.items():
        if key not in found and row.updated_at is not None:
            found[key] = LastChange(None, None, row.updated_at)
    return found


def recent_since(saved: dt.datetime | None) -> dt.datetime:
    """From when a change someone else made is flagged: the start of the day the workbook
    was saved, or :data:`RECENT_DAYS` days ago when that is earlier or not known."""
    now = timezone.now()
    week = now - dt.timedelta(days=RECENT_DAYS)
    if saved is None or saved > now:
        return week
    day = timezone.localtime(saved).replace(hour=0, minute=0, second=0, microsecond=0)
    return min(day, week)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def report(
    plan: Plan,
    last: dict[tuple[str, int], LastChange],
    *,
    actor: User | None,
    sheet: str,
    saved: dt.datetime | None,
    dry_run: bool,
) -> dict[str, Any]:
    """The import's answer (``ImportOut``): the counts, and the resources it created or
    changed, or whose capacity changes it added, changed or removed, in the sheet's order."""
    since = recent_since(saved)
    me = actor.pk if actor is not None else None
    units = _unit_codes(plan)

    def when(kind: str, pk: int) -> dict[str, Any]:
        change = last.get((kind, pk))
        if change is None:
            return {"last_changed_by": None, "last_changed_at": None, "changed_by_other": False}
        other = change.by is None or (change.actor_id != me if me else change.by != "system")
        return {
            "last_changed_by": change.by,
            "last_changed_at": change.at,
            "changed_by_other": other and change.at >= since,
        }

    def fields(changes: dict[str, list[Any]], created: bool) -> list[dict[str, Any]]:
        out = []
        for name, (before, after) in changes.items():
            if name in HIDDEN or (created and after in (None, "")):
                continue
            if name == "org_unit":
                before, after = units.get(before, before), units.get(after, after)
            out.append({"field": name, "before": _text(before), "after": _text(after)})
        return out

    items: dict[str, dict[str, Any]] = {}

    def item(code: str, action: str, resource: Any) -> dict[str, Any]:
        return items.setdefault(
            code,
            {
                "code": code,
                "name": resource.name if resource is not None else "",
                "action": action,
                "fields": [],
                "last_changed_by": None,
                "last_changed_at": None,
                "changed_by_other": False,
                "capacity_changes": [],
            },
        )

    order = [row["code"] for _n, row in plan.rows] + [e["resource"] for _n, e in plan.capacity]
    for resource in plan.new:
        entry = item(resource.code, "created", resource)
        entry["fields"] = fields({k: [None, v] for k, v in snapshot(resource).items()}, True)
    for resource, changes in plan.changed:
        entry = item(resource.code, "updated", resource)
        entry["fields"] = fields(changes, False)
        entry.update(when("resource", resource.pk))
    for code, change in plan.new_changes:
        item(code, "unchanged", plan.stored.get(code))["capacity_changes"].append(
            _change("added", change, None)
        )
    for code, change, changes in plan.changed_changes:
        before = {k: v[0] for k, v in changes.items()}
        item(code, "unchanged", plan.stored.get(code))["capacity_changes"].append(
            {**_change("changed", change, before), **when("capacity", change.pk)}
        )
    for code, change in plan.gone:
        item(code, "unchanged", plan.stored.get(code))["capacity_changes"].append(
            {**_change("removed", change, None), **when("capacity", change.pk)}
        )
    for entry in items.values():
        entry["capacity_changes"].sort(key=lambda c: (c["first"], c["last"], c["action"]))
    rank = {code: i for i, code in reversed(list(enumerate(order)))}
    listed = sorted(items.values(), key=lambda e: rank.get(e["code"], len(rank)))
    return {
        "dry_run": dry_run,
        "file": sheet,
        "sheet_saved_at": saved,
        "recent_since": since,
        "fingerprint": plan.fingerprint,
        "resources_created": len(plan.new),
        "resources_updated": len(plan.rows) - len(plan.new),
        "resources_changed": len(plan.changed),
        "capacity_changes": len(plan.capacity),
        "capacity_changes_added": len(plan.new_changes),
        "capacity_changes_changed": len(plan.changed_changes),
        "capacity_changes_removed": len(plan.gone),
        "resources": listed,
    }


def _change(action: str, change: Any, before: dict[str, Any] | None) -> dict[str, Any]:
    before = before or {}
    fte_before = before.get("fte")
    return {
        "action": action,
        "id": change.pk,
        "first": change.first,
        "last": change.last,
        "fte": change.fte,
        "reason": change.reason,
        "fte_before": None if fte_before is None else Decimal(str(fte_before)),
        "reason_before": before.get("reason"),
        "last_changed_by": None,
        "last_changed_at": None,
        "changed_by_other": False,
    }


def _unit_codes(plan: Plan) -> dict[Any, str]:
    """The codes of the org units the resources' changes name, by id (as the trail keeps
    them): a report says ``sh`` → ``bj``, not 3 → 7."""
    named: set[Any] = {row.get("org_unit_id") for _n, row in plan.rows}
    for _r, changes in plan.changed:
        named.update(changes.get("org_unit", []))
    ids = {int(i) for i in named if i is not None}
    return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}

"""What changed since a capacity sheet was checked, when an import's ``expected``
fingerprint is stale (:class:`pmo.resources.xlsx_apply.StaleSheet`).

A fingerprint is a digest: it cannot say what it was made of. The plan's stored rows can
be read back in time, though: the audit trail records every change of a resource or of a
capacity change of the current plan, each raising its version by one. Undoing the newest
events one by one (an update lowers the version, a creation takes the row out, a removal
puts it back) gives the state at each moment before; the moment whose fingerprint is the
``expected`` one is when the sheet was checked, and the events undone to reach it are what
changed since. No moment matches when the check was of another sheet (or its file
changed), or older than the :data:`MOST` newest events: nothing is listed then.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pmo.audit.models import AuditAction, AuditEvent
from pmo.resources.models import CapacityChange

if TYPE_CHECKING:
    from pmo.resources.xlsx_apply import Plan

__all__ = ["MOST", "NAMED", "changed_since", "codes_text", "stale_message"]

MOST = 200  # events read back, newest first
NAMED = 10  # resources a message names; the rest are counted
BATCH = 500  # ids per query (SQLite caps the parameters of one)
RESOURCE, CAPACITY = "resources.resource", "resources.capacitychange"


def changed_since(plan: Plan, expected: str) -> list[str] | None:
    """The codes of the sheet's resources whose stored rows (the resource or its capacity
    changes in the current plan) changed since the check that answered ``expected``, in
    the sheet's order; ``None`` when no moment of the trail read back has that
    fingerprint."""
    from pmo.resources.xlsx_apply import fingerprint_of

    code_of = {r.pk: code for code, r in plan.stored.items()}
    state = {(kind, pk): version for kind, pk, version in plan.state}
    events = _events(plan, code_of)
    owner = _owners(events, code_of)
    removed_versions = _versions_at_removal(events)
    changed: set[str] = set()
    for event in events:
        key = ("resource" if event.object_type == RESOURCE else "capacity", int(event.object_id))
        if event.action == AuditAction.UPDATE and key in state:
            state[key] -= 1
        elif event.action == AuditAction.CREATE:
            state.pop(key, None)
        elif event.action == AuditAction.DELETE:
            state[key] = removed_versions.get(key[1], 1)
        if key in owner:
            changed.add(owner[key])
        moment = [(kind, pk, version) for (kind, pk), version in state.items()]
        if fingerprint_of(moment, plan.rows, plan.capacity) == expected:
            order = [row["code"] for _n, row in plan.rows]
            order += [e["resource"] for _n, e in plan.capacity]
            rank = {code: i for i, code in reversed(list(enumerate(order)))}
            return sorted(changed, key=lambda code: (rank.get(code, len(rank)), code))
    return None


def codes_text(codes: list[str]) -> str:
    """The first :data:`NAMED` codes, then how many more: "java-sh, py-sh and 3 more"."""
    shown = ", ".join(codes[:NAMED])
    more = len(codes) - NAMED
    if more <= 0:
        return shown
    return ngettext("%(list)s and %(n)s more", "%(list)s and %(n)s more", more) % {
        "list": shown,
        "n": more,
    }


def _events(plan: Plan, code_of: dict[int, str]) -> list[AuditEvent]:
    """The newest :data:`MOST` events of the plan's stored rows and of the current plan's
    capacity changes removed from the resources its sheet ``Capacity`` names, newest
    first."""
    named = {e["resource"] for _n, e in plan.capacity}
    holders = {pk for pk, code in code_of.items() if code in named}
    removals = AuditEvent.objects.filter(object_type=CAPACITY, action=AuditAction.DELETE)
    removed = [
        int(event.object_id)
        for event in removals.order_by("-timestamp", "-id")[:MOST]
        if _removed_from(event) in holders
    ]
    capacity = [pk for kind, pk, _v in plan.state if kind == "capacity"] + removed
    found: list[AuditEvent] = []
    for object_type, ids in ((RESOURCE, list(code_of)), (CAPACITY, capacity)):
        for start in range(0, len(ids), BATCH):
            found.extend(
                AuditEvent.objects.filter(
                    object_type=object_type,
                    object_id__in=[str(pk) for pk in ids[start : start + BATCH]],
                ).order_by("-timestamp", "-id")[:MOST]
            )
    return sorted(found, key=lambda e: (e.timestamp, e.pk), reverse=True)[:MOST]


def _removed_from(event: AuditEvent) -> int | None:
    """The resource a capacity change of the current plan was removed from (``None`` for a
    scenario's)."""
    resource = (event.changes.get("resource") or [None])[0]
    scenario = (event.changes.get("scenario") or [None])[0]
    if scenario is not None or resource is None:
        return None
    return int(resource)


def _owners(events: list[AuditEvent], code_of: dict[int, str]) -> dict[tuple[str, int], str]:
    """The resource code each event's row belongs to."""
    owner: dict[tuple[str, int], str] = {}
    capacity: set[int] = set()
    for event in events:
        pk = int(event.object_id)
        if event.object_type == RESOURCE and pk in code_of:
            owner[("resource", pk)] = code_of[pk]
        elif event.action == AuditAction.DELETE and _removed_from(event) in code_of:
            owner[("capacity", pk)] = code_of[_removed_from(event)]  # type: ignore[index]
        else:
            capacity.add(pk)
    stored = CapacityChange.objects.filter(pk__in=capacity).values_list("pk", "resource_id")
    for pk, resource_id in stored:
        if resource_id in code_of:
            owner[("capacity", pk)] = code_of[resource_id]
    return owner


def _versions_at_removal(events: list[AuditEvent]) -> dict[int, int]:
    """The version each capacity change removed had then: one more than its updates."""
    removed = [e.object_id for e in events if e.action == AuditAction.DELETE]
    if not removed:
        return {}
    updates: Counter[int] = Counter(
        int(object_id)
        for object_id in AuditEvent.objects.filter(
            object_type=CAPACITY, object_id__in=removed, action=AuditAction.UPDATE
        ).values_list("object_id", flat=True)
    )
    return {int(pk): 1 + updates[int(pk)] for pk in removed}


def stale_message(codes: list[str] | None) -> str:
    """What the 409 of a stale import says, naming the resources changed when known."""
    if not codes:
        return _(
            "Nothing was imported: resources or capacity changes of the sheet were changed "
            "since it was checked; check what it does now."
        )
    return _(
        "Nothing was imported: stored rows of the sheet were changed since it was checked "
        "(resources %(codes)s); check what it does now."
    ) % {"codes": codes_text(codes)}

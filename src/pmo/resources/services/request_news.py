"""What the notifications of requests (proposed allocations) say: a request's figures, as
they are and as they were last asked, and the signal that a project's manager proposed or
changed one (ADR 0020, follow-up). The resources app sends; the dependencies app tells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pmo.accounts.models import User
from pmo.audit.models import AuditAction, AuditEvent
from pmo.resources.access import can_manage_resources
from pmo.resources.models import Allocation, AllocationStatus, Resource
from pmo.resources.signals import request_proposed

__all__ = [
    "FIGURES",
    "Figures",
    "asked_figures",
    "changes_text",
    "figure_parts",
    "figures",
    "fte_text",
    "plain",
    "tell_proposed",
    "unplain",
]

# what a request asks for; a note or a client's key changed is no new request
FIGURES = ("resource", "first", "last", "fte")

Figures = dict[str, Any]  # resource (a Resource), first, last (dates), fte (a Decimal)


def figures(allocation: Allocation) -> Figures:
    """The figures ``allocation`` has now (its resource read already)."""
    return {
        "resource": allocation.resource,
        "first": allocation.first,
        "last": allocation.last,
        "fte": Decimal(allocation.fte),
    }


def tell_proposed(actor: User, allocation: Allocation, before: Figures | None) -> None:
    """Send :data:`~pmo.resources.signals.request_proposed` when ``actor``, who does not
    manage resources, proposed ``allocation`` (``before`` ``None``) or changed what a
    proposal asks for: of the current plan only (a scenario is the resource managers' own
    what-if), still proposed. Called from the page and API paths only."""
    if allocation.scenario_id is not None or allocation.status != AllocationStatus.PROPOSED:
        return
    if can_manage_resources(actor):
        return  # they decide requests; nobody asks them anything
    if before is not None and before == figures(allocation):
        return
    request_proposed.send(sender=Allocation, actor=actor, allocation=allocation, before=before)


def asked_figures(actor: User, allocations: Sequence[Allocation]) -> dict[int, Figures]:
    """The figures each of ``allocations`` (just committed by ``actor``) had as last asked,
    for those ``actor`` changed before or while committing them: the audit trail read back
    from the newest event over the decider's own changes, up to one by someone else (or the
    oldest event). A request the decider created themselves was asked by nobody else: left
    out. Two queries at most, whatever the number of requests."""
    if not allocations:
        return {}
    events = (
        AuditEvent.objects.filter(
            object_type=Allocation._meta.label_lower,
            object_id__in=[str(a.pk) for a in allocations],
        )
        .order_by("-timestamp", "-id")
        .values_list("object_id", "actor_id", "action", "changes")
    )
    by_row: dict[str, list[tuple[Any, str, dict[str, Any]]]] = {}
    for object_id, actor_id, action, changes in events:
        by_row.setdefault(object_id, []).append((actor_id, action, changes))
    asked: dict[int, dict[str, str]] = {}
    for allocation in allocations:
        now = plain(allocation)
        was = dict(now)
        for actor_id, action, changes in by_row.get(str(allocation.pk), []):
            if actor_id != actor.pk:
                break  # asked by someone else: what they left
            if action == AuditAction.CREATE:
                was = now  # the decider's own proposal: nothing asked of them
                break
            for name in FIGURES:
                if name in changes:
                    was[name] = str(changes[name][0])
        if _differ(was, now):
            asked[allocation.pk] = was
    resources = Resource.objects.in_bulk({int(w["resource"]) for w in asked.values()})
    return {pk: unplain(w, resources) for pk, w in asked.items() if int(w["resource"]) in resources}


def plain(allocation: Allocation) -> dict[str, str]:
    """The figures as the audit trail writes them (ids and ISO dates as text)."""
    return {
        "resource": str(allocation.resource_id),
        "first": allocation.first.isoformat(),
        "last": allocation.last.isoformat(),
        "fte": str(allocation.fte),
    }


def unplain(values: dict[str, str], resources: dict[int, Resource] | None = None) -> Figures:
    """Figures from :func:`plain` text (``resources``: those read already, by id)."""
    pk = int(values["resource"])
    resource = (resources or {}).get(pk) or Resource.objects.filter(pk=pk).first()
    return {
        "resource": resource,
        "first": dt.date.fromisoformat(values["first"]),
        "last": dt.date.fromisoformat(values["last"]),
        "fte": Decimal(values["fte"]),
    }


def _differ(was: dict[str, str], now: dict[str, str]) -> bool:
    """Whether the figures differ (``"1"`` and ``"1.00"`` FTE are the same)."""
    return any(was[n] != now[n] for n in ("resource", "first", "last")) or Decimal(
        was["fte"]
    ) != Decimal(now["fte"])


def fte_text(value: Any) -> str:
    """An FTE as people write it: ``0.5``, ``1`` (no trailing zeros)."""
    return f"{Decimal(value).normalize():f}"


def figure_parts(now: Figures, was: Figures | None) -> list[tuple[str, bool]]:
    """A request's resource code, dates and FTE (the same in every language), each ``old →
    new`` where ``was`` (the figures as asked) differs, with whether it does."""
    parts = []
    for text in (
        lambda f: f["resource"].code,
        lambda f: f"{f['first'].isoformat()}–{f['last'].isoformat()}",
        lambda f: fte_text(f["fte"]),
    ):
        new = text(now)
        old = text(was) if was and was.get("resource") is not None else new
        parts.append((new if old == new else f"{old} → {new}", old != new))
    parts[-1] = (f"{parts[-1][0]} FTE", parts[-1][1])
    return parts


def changes_text(now: Figures, was: Figures | None) -> str:
    """What differs between ``was`` and ``now``: "java-sh → py-sh, 2026-03-02–2026-03-27 →
    2026-03-09–2026-04-03, 1 → 0.5 FTE", each part only where it differs."""
    return ", ".join(text for text, changed in figure_parts(now, was) if changed)

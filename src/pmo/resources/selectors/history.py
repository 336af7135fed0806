"""A resource's change history as its page shows it: its own edits and the capacity changes
of the current plan added to it, changed or removed (by hand or by a capacity sheet), newest
first (the audit trail, read through :func:`pmo.audit.display.shown_events` as the project
page reads its own)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pmo.audit.display import ShownEvent, shown_events
from pmo.audit.models import AuditAction, AuditEvent
from pmo.core.sentences import quoted
from pmo.resources.models import CapacityChange, Resource
from pmo.resources.xlsx_apply import SHEET_KEY

__all__ = ["HISTORY_LIMIT", "resource_events", "resource_history"]

HISTORY_LIMIT = 50  # the newest events; the admin's audit list has them all
# a capacity change as the trail names it (``CapacityChange.__str__``): resource, days, FTE
CHANGE_REPR = re.compile(r"^\d+ (?P<first>[\d-]+)\.\.(?P<last>[\d-]+) (?P<fte>[\d.]+)$")
CURRENT_PLAN = "resources"  # the scope of the current plan's resource events (a scenario's differ)


def resource_history(resource: Resource, *, limit: int = HISTORY_LIMIT) -> list[ShownEvent]:
    """The newest ``limit`` audit events of ``resource``: its creation and edits (a capacity
    sheet's too) and its capacity changes in the current plan, in three queries whatever
    their number (the events, their actors, the related rows they name)."""
    events = list(resource_events(resource).select_related("actor__person")[:limit])
    return [_named(shown) for shown in shown_events(events)]


def resource_events(resource: Resource) -> QuerySet[AuditEvent]:
    """The audit events of ``resource``, newest first: its creation, edits and deletion and
    the capacity changes of the current plan added to it, changed or removed (the resource
    page's change history and ``GET /api/v1/resources/{id}/audit``)."""
    pk = resource.pk
    return AuditEvent.objects.filter(
        Q(object_type="resources.resource", object_id=str(pk))
        | Q(
            Q(changes__resource__0=pk) | Q(changes__resource__1=pk),
            object_type="resources.capacitychange",
            scope=CURRENT_PLAN,
        )
    ).order_by("-timestamp", "-id")


def _sheet_of(event: AuditEvent) -> str | None:
    """The file name of the capacity sheet whose import recorded ``event`` ("" when the
    import knew none, and for the events recorded before imports named their file), or None
    when the event is not an import's."""
    recorded = event.changes.get(SHEET_KEY)
    if isinstance(recorded, list) and len(recorded) == 2:
        return str(recorded[1] or "")
    if event.changes.get("import") == [None, "capacity sheet"]:  # before 2026-12-07
        return ""
    return None


def _from_sheet(label: str, sheet: str, *, removed: bool) -> str:
    """``label`` saying which capacity sheet made the change, or that it left the change out."""
    values = {"object": label, "file": quoted(sheet)}
    if removed:
        if sheet:
            return _("%(object)s: not in capacity sheet %(file)s") % values
        return _("%(object)s: not in the capacity sheet") % values
    if sheet:
        return _("%(object)s, from capacity sheet %(file)s") % values
    return _("%(object)s, from a capacity sheet") % values


def _named(shown: ShownEvent) -> ShownEvent:
    """A capacity change named by its days and FTE, not by the trail's internal text; a
    change a capacity sheet made says so, with the file's name."""
    event = shown.event
    label, changes = shown.label, shown.changes
    if event.object_type == "resources.capacitychange" and (
        match := CHANGE_REPR.match(event.object_repr)
    ):
        label = _("capacity change %(first)s – %(last)s, %(fte)s FTE") % {
            "first": match["first"],
            "last": match["last"],
            "fte": f"{Decimal(match['fte']).normalize():f}",  # 0.5, not 0.50
        }
        # the resource is the page's own: left out of the listed values
        resource = str(CapacityChange._meta.get_field("resource").verbose_name)
        changes = [c for c in changes if c.label != resource]
    if (sheet := _sheet_of(event)) is not None:
        # the sheet is named with the object, not listed as a value "∅ → plan.xlsx"
        pseudo = {_("capacity sheet"), _("import")}
        changes = [c for c in changes if c.label not in pseudo]
        label = _from_sheet(
            label or event.object_repr, sheet, removed=event.action == AuditAction.DELETE
        )
    if (label, changes) == (shown.label, shown.changes):
        return shown
    return dataclasses.replace(shown, label=label, changes=changes)

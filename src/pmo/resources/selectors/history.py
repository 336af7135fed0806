"""A resource's change history as its page shows it: its own edits and the capacity changes
of the current plan added to it or removed from it, newest first (the audit trail, read
through :func:`pmo.audit.display.shown_events` as the project page reads its own)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.audit.display import ShownEvent, shown_events
from pmo.audit.models import AuditEvent
from pmo.resources.models import CapacityChange, Resource

__all__ = ["HISTORY_LIMIT", "resource_history"]

HISTORY_LIMIT = 50  # the newest events; the admin's audit list has them all
# a capacity change as the trail names it (``CapacityChange.__str__``): resource, days, FTE
CHANGE_REPR = re.compile(r"^\d+ (?P<first>[\d-]+)\.\.(?P<last>[\d-]+) (?P<fte>[\d.]+)$")
CURRENT_PLAN = "resources"  # the scope of the current plan's resource events (a scenario's differ)


def resource_history(resource: Resource, *, limit: int = HISTORY_LIMIT) -> list[ShownEvent]:
    """The newest ``limit`` audit events of ``resource``: its creation and edits (a capacity
    sheet's too) and its capacity changes in the current plan, in three queries whatever
    their number (the events, their actors, the related rows they name)."""
    pk = resource.pk
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="resources.resource", object_id=str(pk))
            | Q(
                Q(changes__resource__0=pk) | Q(changes__resource__1=pk),
                object_type="resources.capacitychange",
                scope=CURRENT_PLAN,
            )
        )
        .select_related("actor__person")
        .order_by("-timestamp", "-id")[:limit]
    )
    return [_named(shown) for shown in shown_events(events)]


def _named(shown: ShownEvent) -> ShownEvent:
    """A capacity change named by its days and FTE, not by the trail's internal text."""
    event = shown.event
    if event.object_type != "resources.capacitychange":
        return shown
    match = CHANGE_REPR.match(event.object_repr)
    if match is None:
        return shown
    label = _("capacity change %(first)s – %(last)s, %(fte)s FTE") % {
        "first": match["first"],
        "last": match["last"],
        "fte": f"{Decimal(match['fte']).normalize():f}",  # 0.5, not 0.50
    }
    # the resource is the page's own: left out of the listed values
    resource = str(CapacityChange._meta.get_field("resource").verbose_name)
    changes = [c for c in shown.changes if c.label != resource]
    return dataclasses.replace(shown, label=label, changes=changes)

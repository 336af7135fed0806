"""Where an overloaded pool's work could go: the room other resources of its role have."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.build import build_heatmap
from pmo.resources.heatmap.cells import EPSILON
from pmo.resources.models import Resource

__all__ = ["Room", "room_in_role"]


@dataclass(frozen=True)
class Room:
    """A resource's capacity and demand in a period, in the heat map's unit."""

    resource_id: int
    label: str
    capacity: float
    demand: float

    @property
    def free(self) -> float:
        return round(self.capacity - self.demand, 2)


def room_in_role(
    resource_id: int,
    *,
    first: dt.date,
    last: dt.date,
    scenario_id: int | None = None,
    unit: str = "fte",
    committed_only: bool = False,
) -> list[Room]:
    """The other resources of ``resource_id``'s role with capacity left in the heat-map
    period ``first..last`` (a week or a month), most room first: where an overloaded pool's
    work could go (in a scenario, then commit). Figures as the heat map counts them (with
    ``committed_only``, as its "committed only" view does)."""
    role = Resource.objects.filter(pk=resource_id).values_list("role", flat=True).first()
    if role is None:
        return []
    found = build_heatmap(
        by="resource",
        scale="week" if (last - first).days < 7 else "month",
        start=first,
        count=1,
        scenario_id=scenario_id,
        committed_only=committed_only,
        unit=unit,
        only=ResourceFilter(role=role),
    )
    rooms = [
        Room(int(r.key), r.label, r.cells[0].capacity, r.cells[0].demand)
        for r in found.rows
        if int(r.key) != resource_id
    ]
    return sorted((r for r in rooms if r.free > EPSILON), key=lambda r: (-r.free, r.label))

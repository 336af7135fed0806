"""Planned hours and labour cost of allocations, from each resource's rate and calendar.

An allocation of ``fte`` from ``first`` to ``last`` plans ``fte x hours_per_day`` hours on
every day its resource's calendar works (China holidays off and 调休 weekends on for ``CN``,
Monday to Friday otherwise) and the resource is not absent (a capacity change to 0 FTE of at
most two weeks in the allocation's layer: leave, a shutdown), at the resource's
``cost_rate`` per hour in its currency: the days the heat map counts as demand
(:func:`pmo.resources.calendars.counted_days`), so a person on leave costs nothing then. A
project's totals are kept per currency (a Shanghai pool in CNY and a London one in GBP are
not added up) and split into committed and proposed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from pmo.resources import calendars
from pmo.resources.models import Allocation, AllocationStatus, CapacityChange

__all__ = [
    "Absences",
    "CostTotal",
    "RowCost",
    "load_absences",
    "row_cost",
    "row_costs",
    "totals",
]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class RowCost:
    hours: Decimal
    cost: Decimal
    currency: str
    committed: bool


@dataclass(frozen=True)
class CostTotal:
    currency: str
    committed: Decimal
    proposed: Decimal

    @property
    def total(self) -> Decimal:
        return self.committed + self.proposed


Absences = dict[tuple[int | None, int], list[tuple[dt.date, dt.date]]]
"""Per (scenario id or ``None`` for the current plan, resource id): its absences' first and
last days."""


def load_absences(
    allocations: Sequence[Allocation] = (), *, scenario_ids: Iterable[int | None] = ()
) -> Absences:
    """The absences of the resources of ``allocations`` in their layers and dates, or of
    every resource in the layers ``scenario_ids`` (one query)."""
    ids = {a.resource_id for a in allocations if a.resource_id is not None}
    layers = {a.scenario_id for a in allocations if a.resource_id is not None}
    layers |= set(scenario_ids)
    if not layers:  # nothing saved to have absences (rows built in memory)
        return {}
    found = CapacityChange.objects.filter(fte=0)
    layer = Q(scenario_id__in=[s for s in layers if s is not None])
    if None in layers:
        layer |= Q(scenario__isnull=True)
    found = found.filter(layer)
    if allocations:
        found = found.filter(
            resource_id__in=ids,
            first__lte=max(a.last for a in allocations),
            last__gte=min(a.first for a in allocations),
        )
    rows = found.values_list("scenario_id", "resource_id", "first", "last", "fte")
    return calendars.absences(((s, r), first, last, fte) for s, r, first, last, fte in rows)


def row_cost(
    allocation: Allocation,
    overrides: calendars.Overrides | None = None,
    absences: Absences | None = None,
) -> RowCost:
    """Hours and cost of one allocation (its resource must be loaded); ``overrides`` are the
    calendar days entered by hand (:func:`pmo.resources.calendars.load_overrides`),
    ``absences`` those of :func:`load_absences` (read here when not given)."""
    return row_costs([allocation], overrides, absences)[0]


def _planned(allocation: Allocation, days: int) -> RowCost:
    resource = allocation.resource
    hours = (allocation.fte * resource.hours_per_day * days).quantize(CENT)
    return RowCost(
        hours=hours,
        cost=(hours * resource.cost_rate).quantize(CENT),
        currency=resource.currency,
        committed=allocation.status == AllocationStatus.COMMITTED,
    )


def row_costs(
    allocations: Sequence[Allocation],
    overrides: calendars.Overrides | None = None,
    absences: Absences | None = None,
) -> list[RowCost]:
    """:func:`row_cost` of many allocations at once (one query for their absences unless
    given): one working-day mask per calendar over their whole date range and prefix sums,
    instead of a mask per row (about 80 us a row, which a big scenario's thousands of rows
    would feel)."""
    if not allocations:
        return []
    if absences is None:
        absences = load_absences(allocations)
    days = calendars.counted_days(
        [
            (a.resource.calendar, (a.scenario_id, a.resource_id), a.first, a.last)
            for a in allocations
        ],
        overrides,
        absences,
    )
    return [_planned(a, d) for a, d in zip(allocations, days, strict=True)]


def totals(costs: Iterable[RowCost]) -> list[CostTotal]:
    """Committed and proposed cost per currency, largest total first."""
    sums: dict[str, list[Decimal]] = {}
    for c in costs:
        pair = sums.setdefault(c.currency, [Decimal(0), Decimal(0)])
        pair[0 if c.committed else 1] += c.cost
    result = [CostTotal(cur, committed, proposed) for cur, (committed, proposed) in sums.items()]
    result.sort(key=lambda t: (-t.total, t.currency))
    return result

"""Planned hours and labour cost of allocations, from each resource's rate and calendar.

An allocation of ``fte`` from ``first`` to ``last`` plans ``fte x hours_per_day`` hours on
every day its resource's calendar works (China holidays off and 调休 weekends on for ``CN``,
Monday to Friday otherwise), at the resource's ``cost_rate`` per hour in its currency. A
project's totals are kept per currency (a Shanghai pool in CNY and a London one in GBP are
not added up) and split into committed and proposed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from pmo.resources import calendars
from pmo.resources.models import Allocation, AllocationStatus

__all__ = ["CostTotal", "RowCost", "row_cost", "row_costs", "totals"]

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


def row_cost(allocation: Allocation, overrides: calendars.Overrides | None = None) -> RowCost:
    """Hours and cost of one allocation (its resource must be loaded); ``overrides`` are the
    calendar days entered by hand (:func:`pmo.resources.calendars.load_overrides`)."""
    resource = allocation.resource
    worked = calendars.working(resource.calendar, allocation.first, allocation.last, overrides)
    return _planned(allocation, int(worked.sum()))


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
    allocations: Sequence[Allocation], overrides: calendars.Overrides | None = None
) -> list[RowCost]:
    """:func:`row_cost` of many allocations at once: one working-day mask per calendar over
    their whole date range and prefix sums, instead of a mask per row (about 80 us a row,
    which a big scenario's thousands of rows would feel)."""
    if not allocations:
        return []
    first = min(a.first for a in allocations)
    last = max(a.last for a in allocations)
    prefix = {
        code: np.concatenate(([0], np.cumsum(calendars.working(code, first, last, overrides))))
        for code in {a.resource.calendar for a in allocations}
    }
    result = []
    for a in allocations:
        sums = prefix[a.resource.calendar]
        result.append(
            _planned(a, int(sums[(a.last - first).days + 1] - sums[(a.first - first).days]))
        )
    return result


def totals(costs: Iterable[RowCost]) -> list[CostTotal]:
    """Committed and proposed cost per currency, largest total first."""
    sums: dict[str, list[Decimal]] = {}
    for c in costs:
        pair = sums.setdefault(c.currency, [Decimal(0), Decimal(0)])
        pair[0 if c.committed else 1] += c.cost
    result = [CostTotal(cur, committed, proposed) for cur, (committed, proposed) in sums.items()]
    result.sort(key=lambda t: (-t.total, t.currency))
    return result

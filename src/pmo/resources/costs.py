"""Planned hours and labour cost of allocations, from each resource's rate and calendar.

An allocation of ``fte`` from ``first`` to ``last`` plans ``fte x hours_per_day`` hours on
every day its resource's calendar works (China holidays off and 调休 weekends on for ``CN``,
Monday to Friday otherwise), at the resource's ``cost_rate`` per hour in its currency. A
project's totals are kept per currency (a Shanghai pool in CNY and a London one in GBP are
not added up) and split into committed and proposed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pmo.resources import calendars
from pmo.resources.models import Allocation, AllocationStatus

__all__ = ["CostTotal", "RowCost", "row_cost", "totals"]

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
    days = int(worked.sum())
    hours = (allocation.fte * resource.hours_per_day * days).quantize(CENT)
    return RowCost(
        hours=hours,
        cost=(hours * resource.cost_rate).quantize(CENT),
        currency=resource.currency,
        committed=allocation.status == AllocationStatus.COMMITTED,
    )


def totals(costs: Iterable[RowCost]) -> list[CostTotal]:
    """Committed and proposed cost per currency, largest total first."""
    sums: dict[str, list[Decimal]] = {}
    for c in costs:
        pair = sums.setdefault(c.currency, [Decimal(0), Decimal(0)])
        pair[0 if c.committed else 1] += c.cost
    result = [CostTotal(cur, committed, proposed) for cur, (committed, proposed) in sums.items()]
    result.sort(key=lambda t: (-t.total, t.currency))
    return result

"""The heat map's figures: its groupings, scales and units, periods, cells, rows and the map.

Plain values, no queries: :func:`pmo.resources.heatmap.build_heatmap` fills them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmo.portfolio.periods import period_of

__all__ = [
    "EPSILON",
    "GROUPINGS",
    "SCALES",
    "UNITS",
    "Cell",
    "HeatMap",
    "Period",
    "Row",
    "periods",
]

GROUPINGS = ("role", "org_unit", "resource")
SCALES = ("week", "month")
UNITS = ("fte", "hours")
EPSILON = 1e-6


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date  # inclusive
    label: str


@dataclass(frozen=True)
class Cell:
    capacity: float
    demand: float
    first: dt.date
    last: dt.date
    # no overload on the period's days from today on: any overload it shows is history
    # (days already gone), which nothing can move
    past: bool = False

    @property
    def ratio(self) -> float | None:
        """Demand divided by capacity (``None`` without capacity)."""
        return self.demand / self.capacity if self.capacity > EPSILON else None

    @property
    def over_capacity(self) -> bool:
        """Demand above capacity over the whole period, past days included."""
        return self.demand > self.capacity + EPSILON

    @property
    def overloaded(self) -> bool:
        """Over capacity on the days still to come (what a plan or leveling can change)."""
        return self.over_capacity and not self.past

    @property
    def past_overload(self) -> bool:
        return self.over_capacity and self.past

    @property
    def level(self) -> int:
        """Colour class 0 (idle) .. 5 (over 120 %) for the heat map; an overload already
        past is shown as busy (3), marked apart by the page."""
        if self.demand <= EPSILON:
            return 0
        if self.past_overload:
            return 3
        ratio = self.ratio
        if ratio is None or ratio > 1.2:
            return 5
        if ratio > 1 + EPSILON:
            return 4
        if ratio > 0.85:
            return 3
        if ratio > 0.5:
            return 2
        return 1


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]

    @property
    def overloads(self) -> int:
        return sum(1 for c in self.cells if c.overloaded)


@dataclass(frozen=True)
class HeatMap:
    by: str
    scale: str
    periods: list[Period]
    rows: list[Row]
    assumed_years: tuple[int, ...] = ()  # holidays unknown: counted Monday to Friday
    unit: str = "fte"

    @property
    def overloaded_cells(self) -> int:
        return sum(r.overloads for r in self.rows)

    @property
    def overload(self) -> float:
        """Sum over overloaded cells of demand above capacity (in the heat map's unit)."""
        return round(
            sum((c.demand - c.capacity for r in self.rows for c in r.cells if c.overloaded), 0.0),
            2,
        )

    @property
    def past_overloads(self) -> int:
        """Cells over capacity only on days already gone (not counted as overloaded)."""
        return sum(1 for r in self.rows for c in r.cells if c.past_overload)


def periods(start: dt.date, count: int, scale: str) -> list[Period]:
    """``count`` weeks (from the Monday of ``start``) or months (from its first day), labelled
    as the one-page board labels its periods (``2026-W50``, ``2026-12``)."""
    cadence = "weekly" if scale == "week" else "monthly"
    result: list[Period] = []
    period = period_of(start, cadence)
    for _i in range(count):
        result.append(Period(period.start, period.end, period.key))
        period = period_of(period.end + dt.timedelta(days=1), cadence)
    return result

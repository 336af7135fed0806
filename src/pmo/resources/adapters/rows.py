"""The plain rows the leveling adapter reads, the engine input it builds, and a move back.

Also the shared arithmetic: FTE as integer hundredths (``SCALE``), a project's weight by
priority, and the per-day load of ``(resource, start, duration, demand)`` rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from pmo.engine.leveling import Problem
from pmo.resources.calendars import DayAxis

__all__ = [
    "SCALE",
    "AllocationRow",
    "ChangeRow",
    "LevelingInput",
    "Move",
    "ProjectRow",
    "ResourceRow",
    "priority_weight",
]

SCALE = 100  # hundredths of an FTE


@dataclass(frozen=True)
class ResourceRow:
    """A resource's standing capacity and availability."""

    pk: int
    fte: Decimal
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    active: bool = True
    calendar: str = ""


@dataclass(frozen=True)
class ChangeRow:
    """A capacity change of the layer (inclusive dates)."""

    resource_id: int
    first: dt.date
    last: dt.date
    fte: Decimal


@dataclass(frozen=True)
class AllocationRow:
    """An allocation of the layer (inclusive dates)."""

    pk: int
    resource_id: int
    project_id: int
    first: dt.date
    last: dt.date
    fte: Decimal


@dataclass(frozen=True)
class ProjectRow:
    """A project's code, effective priority (1 highest .. 5), pin, and whether it has ended
    (closed or cancelled: its rows are fixed in place like a pinned project's)."""

    pk: int
    code: str
    priority: int = 3
    pinned: bool = False
    ended: bool = False


@dataclass
class LevelingInput:
    """The engine problem plus what is needed to map its schedule back."""

    problem: Problem
    axis: DayAxis  # index 0 = the first axis day on or after today
    rows: list[AllocationRow]  # by activity index
    starts: list[int]  # current start (working-day index) by activity index
    fixed: list[bool]
    split: list[bool]  # under way: a move keeps the part before today in place
    not_levelable: list[AllocationRow]
    projects: list[ProjectRow]  # by engine project index
    resource_ids: list[int]  # by engine resource index
    capacity: np.ndarray  # resources x days, hundredths (the heat map's capacity)
    engine_capacity: np.ndarray  # the profile on every axis day, raised to the fixed demand
    works: np.ndarray  # resources x days: the resource's calendar works that axis day
    calendars: list[str] = field(default_factory=list)  # calendar code by resource index
    # by activity: its resource's working days (calendar, absences) it covers now; a moved
    # row keeps this many (see :mod:`.fit`)
    need: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Move:
    """An allocation moved by ``days`` axis (working) days."""

    pk: int
    first: dt.date
    last: dt.date
    new_first: dt.date
    new_last: dt.date
    days: int
    kept_last: dt.date | None = None  # work under way: the original row now ends here


def priority_weight(priority: int) -> int:
    """Weight of a day of delay: priority 1 (highest) -> 16, 2 -> 8, ... 5 -> 1."""
    return 2 ** (5 - min(max(priority, 1), 5))


def _load(rows: list[tuple[int, int, int, int]], n_resources: int, horizon: int) -> np.ndarray:
    """Per resource and day demand of ``(resource, start, duration, demand)`` rows."""
    diff = np.zeros((n_resources, horizon + 1), dtype=np.int64)
    for r, s, d, q in rows:
        diff[r, s] += q
        diff[r, min(s + d, horizon)] -= q
    return np.cumsum(diff, axis=1)[:, :horizon]

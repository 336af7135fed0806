"""A plan as plain data: what importers produce and exporters consume.

Tasks, calendars and resources are referred to by their UID (as in MSPDI), so
every importer reports a dangling reference the same way
(``Task UID 12: PredecessorLink to unknown UID 99``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

__all__ = [
    "AssignmentData",
    "BaselineData",
    "CalendarData",
    "ExceptionData",
    "LinkData",
    "PlanData",
    "ResourceData",
    "TaskData",
    "WorkWeekData",
    "percent_lag",
]

Hours = list[tuple[int, int]]


@dataclass(kw_only=True)
class ExceptionData:
    first: dt.date
    last: dt.date
    hours: Hours = field(default_factory=list)
    name: str = ""


@dataclass(kw_only=True)
class WorkWeekData:
    first: dt.date
    last: dt.date
    week: list[Hours]  # Monday..Sunday
    name: str = ""


@dataclass(kw_only=True)
class CalendarData:
    uid: int
    name: str
    week: list[Hours] | None = None  # Monday..Sunday; None: inherited from the base
    base_uid: int | None = None
    holidays: str = ""
    exceptions: list[ExceptionData] = field(default_factory=list)
    work_weeks: list[WorkWeekData] = field(default_factory=list)


@dataclass(kw_only=True)
class LinkData:
    pred_uid: int
    type: str = "FS"
    lag: int = 0  # minutes
    elapsed: bool = False
    lag_format: int = 7
    lag_percent: int | None = None  # a lag of this % of the predecessor's duration


def percent_lag(percent: int, duration: int, *, elapsed: bool, minutes_per_day: int) -> int:
    """Minutes of a lag of ``percent`` % of a ``duration`` (working minutes).

    A working percent lag (MSPDI ``LagFormat`` 19, ``%``) is that share of the
    working duration; an elapsed one (20, ``e%``) is that share of the duration
    counted in elapsed days (``minutes_per_day`` working minutes to 24 hours).

    >>> percent_lag(50, 1440, elapsed=False, minutes_per_day=480)
    720
    >>> percent_lag(50, 960, elapsed=True, minutes_per_day=480)
    1440
    >>> percent_lag(-25, 480, elapsed=False, minutes_per_day=480)
    -120
    """
    minutes = duration * 1440 / max(minutes_per_day, 1) if elapsed else duration
    return math.floor(percent * minutes / 100 + 0.5)


@dataclass(kw_only=True)
class BaselineData:
    number: int
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    duration: int = 0


@dataclass(kw_only=True)
class TaskData:
    uid: int
    name: str
    outline_level: int = 1
    wbs: str = ""
    duration: int = 0
    milestone: bool = False
    summary: bool = False
    constraint: str = "ASAP"
    constraint_date: dt.datetime | None = None
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    remaining: int | None = None
    percent_complete: float = 0.0
    calendar_uid: int | None = None
    ignore_resource_calendar: bool = False
    duration_format: int | None = None  # MSPDI DurationFormat; elapsed codes: 24-hour time
    predecessors: list[LinkData] = field(default_factory=list)
    baselines: list[BaselineData] = field(default_factory=list)
    # dates the source tool computed (kept to compare, never scheduled from)
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    # the rest of PMO Hub's computed schedule (written by exporters, not read back)
    early_start: dt.datetime | None = None
    early_finish: dt.datetime | None = None
    late_start: dt.datetime | None = None
    late_finish: dt.datetime | None = None
    total_float: int | None = None
    free_float: int | None = None
    critical: bool = False


@dataclass(kw_only=True)
class ResourceData:
    uid: int
    name: str
    calendar_uid: int | None = None


@dataclass(kw_only=True)
class AssignmentData:
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work: int = 0


@dataclass(kw_only=True)
class PlanData:
    name: str
    start: dt.datetime
    status_date: dt.datetime | None = None
    calendar_uid: int | None = None
    minutes_per_day: int = 480
    calendars: list[CalendarData] = field(default_factory=list)
    tasks: list[TaskData] = field(default_factory=list)
    resources: list[ResourceData] = field(default_factory=list)
    assignments: list[AssignmentData] = field(default_factory=list)
    baseline_names: dict[int, str] = field(default_factory=dict)

"""Database rows <-> the engine's scheduling dataclasses (critical path method, calendars).

``calendars`` turns stored calendars into the engine's and places tasks on working-time axes,
``cpm`` schedules a plan's tasks and links and reads the result back, ``errors`` holds
:class:`ScheduleError`; every name is imported here (``from pmo.scheduling import adapters``).
"""

from pmo.scheduling.adapters.calendars import (
    AXIS_DAYS_AFTER,
    AXIS_DAYS_BEFORE,
    engine_calendar,
    horizon_days,
    working_offsets,
    working_time_between,
)
from pmo.scheduling.adapters.cpm import Computed, compute
from pmo.scheduling.adapters.errors import ScheduleError

__all__ = [
    "AXIS_DAYS_AFTER",
    "AXIS_DAYS_BEFORE",
    "Computed",
    "ScheduleError",
    "compute",
    "engine_calendar",
    "horizon_days",
    "working_offsets",
    "working_time_between",
]

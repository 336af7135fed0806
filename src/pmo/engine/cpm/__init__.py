"""Critical path method: array core (fast path) and the rich task model."""

from pmo.engine.cpm.model import (
    ConstraintType,
    Link,
    LinkType,
    Project,
    Schedule,
    Task,
    TaskSchedule,
)
from pmo.engine.cpm.network import (
    FF,
    FS,
    NO_CAP,
    NO_TIME,
    SF,
    SS,
    ElapsedAxis,
    Network,
    Prepared,
    TaskCalendars,
    prepare,
)
from pmo.engine.cpm.passes import CpmArrays, Method, cpm_arrays
from pmo.engine.cpm.schedule import schedule

__all__ = [
    "FF",
    "FS",
    "NO_CAP",
    "NO_TIME",
    "SF",
    "SS",
    "ConstraintType",
    "CpmArrays",
    "ElapsedAxis",
    "Link",
    "LinkType",
    "Method",
    "Network",
    "Prepared",
    "Project",
    "Schedule",
    "Task",
    "TaskCalendars",
    "TaskSchedule",
    "cpm_arrays",
    "prepare",
    "schedule",
]

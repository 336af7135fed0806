"""The rich task model of the scheduler: tasks, links, constraints, actuals.

All times are integer offsets of working time from the project start (for
example working minutes); :mod:`pmo.engine.calendars` converts them to and
from datetimes. Tasks are referred to by their index in ``Project.tasks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pmo.engine.errors import InvalidInputError

__all__ = [
    "ConstraintType",
    "Link",
    "LinkType",
    "Project",
    "Schedule",
    "Task",
    "TaskSchedule",
]


class LinkType(StrEnum):
    """Dependency type: which end of the predecessor drives which end of the successor."""

    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


class ConstraintType(StrEnum):
    """Date constraint of a task (names as in Microsoft Project)."""

    ASAP = "ASAP"
    """As soon as possible (default)."""
    ALAP = "ALAP"
    """As late as possible: scheduled at its late dates."""
    SNET = "SNET"
    """Start no earlier than."""
    SNLT = "SNLT"
    """Start no later than."""
    FNET = "FNET"
    """Finish no earlier than."""
    FNLT = "FNLT"
    """Finish no later than."""
    MSO = "MSO"
    """Must start on (overrides the links; conflicts show as negative float)."""
    MFO = "MFO"
    """Must finish on (overrides the links; conflicts show as negative float)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A dependency between two tasks.

    Parameters
    ----------
    pred, succ : int
        Indices of the predecessor and successor task.
    type : LinkType
        FS (default), SS, FF or SF.
    lag : int
        Lag (negative: lead) in working time, or in elapsed minutes when
        ``elapsed`` is true.
    elapsed : bool
        The lag runs in calendar time (Microsoft Project's "elapsed days").
    calendar : int, optional
        Calendar the (working) lag is counted on, an index into the
        ``calendars`` of :func:`~pmo.engine.cpm.schedule`; the project
        calendar (0) when omitted. Microsoft Project counts a lag on the
        successor's task calendar, else on the project calendar.

    Examples
    --------
    >>> Link(pred=0, succ=1, type=LinkType.SS, lag=-60)
    Link(pred=0, succ=1, type=<LinkType.SS: 'SS'>, lag=-60, elapsed=False, calendar=None)
    """

    pred: int
    succ: int
    type: LinkType = LinkType.FS
    lag: int = 0
    elapsed: bool = False
    calendar: int | None = None

    def __post_init__(self) -> None:
        if self.pred < 0 or self.succ < 0:
            raise InvalidInputError("link: task indices must be >= 0")
        if self.calendar is not None and self.calendar < 0:
            raise InvalidInputError("link: calendar must be >= 0")
        object.__setattr__(self, "type", LinkType(self.type))


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    """A task, milestone (``duration == 0``) or summary task (parent of others).

    Parameters
    ----------
    name : str
        Label used in messages.
    duration : int
        Planned working-time duration (ignored for summary tasks).
    parent : int, optional
        Index of the summary task above this one in the WBS.
    constraint : ConstraintType
        ASAP by default; every type but ASAP/ALAP needs ``constraint_time``
        (a start offset for SNET/SNLT/MSO, a finish offset for FNET/FNLT/MFO).
    actual_start, actual_finish : int, optional
        Actuals: both given means complete (fixed at its actuals); only the
        start means in progress, with ``remaining`` work left.
    remaining : int, optional
        Remaining working time of an in-progress task (default:
        ``duration`` minus the time worked up to the status date).
    percent_complete : float, optional
        0..100; derived from the actuals when omitted.
    calendar : int, optional
        The task's calendar, an index into the ``calendars`` of
        :func:`~pmo.engine.cpm.schedule` (0, the default, is the project
        calendar). All the task's times -- duration, constraint time,
        actuals, remaining work and its computed dates and floats -- are
        then working minutes of that calendar.

    Examples
    --------
    >>> Task(name="Design", duration=480).duration
    480
    >>> Task(name="Gate", duration=0, constraint=ConstraintType.SNET)
    Traceback (most recent call last):
    ...
    pmo.engine.errors.InvalidInputError: task 'Gate': constraint SNET needs constraint_time
    """

    name: str = ""
    duration: int = 0
    parent: int | None = None
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_time: int | None = None
    actual_start: int | None = None
    actual_finish: int | None = None
    remaining: int | None = None
    percent_complete: float | None = None
    calendar: int | None = None

    def __post_init__(self) -> None:
        label = f"task {self.name!r}"
        if self.duration < 0:
            raise InvalidInputError(f"{label}: duration must be >= 0")
        if self.calendar is not None and self.calendar < 0:
            raise InvalidInputError(f"{label}: calendar must be >= 0")
        object.__setattr__(self, "constraint", ConstraintType(self.constraint))
        timed = self.constraint not in (ConstraintType.ASAP, ConstraintType.ALAP)
        if timed and self.constraint_time is None:
            raise InvalidInputError(f"{label}: constraint {self.constraint} needs constraint_time")
        if self.actual_finish is not None and self.actual_start is None:
            raise InvalidInputError(f"{label}: actual_finish needs actual_start")
        if (
            self.actual_finish is not None
            and self.actual_start is not None
            and self.actual_finish < self.actual_start
        ):
            raise InvalidInputError(f"{label}: actual_finish is before actual_start")
        if self.remaining is not None and self.remaining < 0:
            raise InvalidInputError(f"{label}: remaining must be >= 0")
        if self.percent_complete is not None and not 0 <= self.percent_complete <= 100:
            raise InvalidInputError(f"{label}: percent_complete must be within 0..100")


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """A schedulable project: tasks, links and an optional status date.

    Parameters
    ----------
    tasks : tuple of Task
    links : tuple of Link
    status_date : int, optional
        Offset of the status date (on the project calendar, read as the end
        of a working period): work not yet done cannot be scheduled before it.
    finish : int, optional
        Required project finish on the project calendar (a deadline for the
        backward pass); the latest early finish when omitted.
    """

    tasks: tuple[Task, ...]
    links: tuple[Link, ...] = ()
    status_date: int | None = None
    finish: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", tuple(self.tasks))
        object.__setattr__(self, "links", tuple(self.links))
        n = len(self.tasks)
        for i, t in enumerate(self.tasks):
            if t.parent is not None and not 0 <= t.parent < n:
                raise InvalidInputError(f"task {i}: parent {t.parent} out of range")
            if t.parent == i:
                raise InvalidInputError(f"task {i}: is its own parent")
        for k, link in enumerate(self.links):
            if link.pred >= n or link.succ >= n:
                raise InvalidInputError(f"link {k}: task index out of range 0..{n - 1}")


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSchedule:
    """Computed dates and floats of one task (working-time offsets).

    ``start``/``finish`` are the scheduled dates: the actuals for completed
    work, the late dates for ALAP tasks, the early dates otherwise. With task
    calendars, every value is working time of the task's own calendar (a
    summary's: its leaves' instants read on the summary's calendar).
    """

    index: int
    start: int
    finish: int
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_float: int
    free_float: int
    critical: bool
    near_critical: bool
    summary: bool
    percent_complete: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """Result of :func:`pmo.engine.cpm.schedule`.

    ``critical`` lists the tasks with total float <= 0 (not complete, not
    summary), ``near_critical`` those with 0 < total float <= the threshold,
    ``negative_float`` those whose constraints cannot be met. ``start`` and
    ``finish`` are on the project calendar.
    """

    tasks: tuple[TaskSchedule, ...]
    start: int
    finish: int
    critical: tuple[int, ...]
    near_critical: tuple[int, ...]
    negative_float: tuple[int, ...]

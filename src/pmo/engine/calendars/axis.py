"""Exact conversion between working-time offsets and datetimes.

A :class:`CalendarAxis` lays a calendar's working periods over a horizon
once (numpy arrays of period starts and cumulative working minutes); every
conversion is then a ``searchsorted``. Offsets count working minutes from
the project start. One offset can name two instants when it falls on a
period boundary: as a *start* it is the beginning of the next working period
(Monday 08:00), as a *finish* the end of the previous one (Friday 17:00),
the convention of Microsoft Project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from pmo.engine.calendars.model import Calendar
from pmo.engine.errors import InfeasibleError, InvalidInputError

__all__ = [
    "CalendarAxis",
    "WorkingCalendar",
    "add_working_time",
    "next_working_start",
    "previous_working_finish",
    "working_time_between",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_EMPTY = np.zeros(0, dtype=np.int64)


class WorkingCalendar(Protocol):
    """What an axis needs of a calendar (:class:`Calendar`, ``CombinedCalendar``)."""

    @property
    def name(self) -> str:
        """Label used in messages."""
        ...

    def day_hours(self, day: date) -> tuple[tuple[int, int], ...]:
        """Working periods of ``day``."""
        ...

    def unknown_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years whose holidays were assumed."""
        ...


def _minute(dt: datetime, first_day: date) -> int:
    delta = dt.replace(second=0, microsecond=0, tzinfo=None) - datetime.combine(
        first_day, datetime.min.time()
    )
    return delta.days * 1440 + delta.seconds // 60


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class CalendarAxis:
    """A calendar laid out over ``origin - days_before .. origin + days_after``.

    Parameters
    ----------
    calendar : Calendar or CombinedCalendar
    origin : datetime
        The project start: offset 0 is the first working minute at or after it.
    days_before, days_after : int
        Horizon around the origin (raise :class:`InvalidInputError` beyond it).

    Examples
    --------
    >>> from pmo.engine.calendars import standard_calendar
    >>> ax = CalendarAxis(calendar=standard_calendar(), origin=datetime(2026, 11, 20, 8))  # Friday
    >>> ax.finish_datetime(480), ax.start_datetime(480)
    (datetime.datetime(2026, 11, 20, 17, 0), datetime.datetime(2026, 11, 23, 8, 0))
    >>> ax.offset(datetime(2026, 11, 23, 10, 30))
    630
    """

    calendar: WorkingCalendar
    origin: datetime
    days_before: int = 366
    days_after: int = 3660
    first_day: date = field(init=False)
    _start: IntArray = field(init=False, repr=False)
    _length: IntArray = field(init=False, repr=False)
    _cum: IntArray = field(init=False, repr=False)
    _cum_end: IntArray = field(init=False, repr=False)
    _zero: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.days_before < 0 or self.days_after < 1:
            raise InvalidInputError("axis: days_before must be >= 0 and days_after >= 1")
        first = self.origin.date() - timedelta(days=self.days_before)
        starts: list[int] = []
        ends: list[int] = []
        for k in range(self.days_before + self.days_after + 1):
            for a, b in self.calendar.day_hours(first + timedelta(days=k)):
                if starts and ends[-1] == k * 1440 + a:
                    ends[-1] = k * 1440 + b  # periods meeting at midnight are one
                else:
                    starts.append(k * 1440 + a)
                    ends.append(k * 1440 + b)
        if not starts:
            raise InfeasibleError(f"calendar {self.calendar.name!r} has no working time")
        start = np.array(starts, dtype=np.int64)
        length = np.array(ends, dtype=np.int64) - start
        cum_end = np.cumsum(length)
        object.__setattr__(self, "first_day", first)
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_length", length)
        object.__setattr__(self, "_cum", cum_end - length)
        object.__setattr__(self, "_cum_end", cum_end)
        object.__setattr__(self, "_zero", 0)
        zero = int(self._work_before(np.array([_minute(self.origin, first)]))[0])
        object.__setattr__(self, "_zero", zero)

    # -- vectorised core on absolute minutes since first_day midnight ---------
    def _work_before(self, minute: IntArray) -> IntArray:
        """Working minutes between the axis start and ``minute`` (relative to offset 0)."""
        last = (self.days_before + self.days_after + 1) * 1440
        if minute.size and (minute.min() < 0 or minute.max() > last):
            raise InvalidInputError(
                f"axis: date outside the calendar horizon {self.first_day} + "
                f"{self.days_before + self.days_after} days (raise days_after)"
            )
        k = np.searchsorted(self._start, minute, side="right") - 1
        kk = np.maximum(k, 0)
        inside = np.clip(minute - self._start[kk], 0, self._length[kk])
        return np.where(k >= 0, self._cum[kk] + inside, 0) - self._zero

    def _minute_of(self, offset: IntArray, finish: bool | BoolArray) -> IntArray:
        work = offset + self._zero
        k_start = np.searchsorted(self._cum_end, work, side="right")
        k_finish = np.searchsorted(self._cum_end, work, side="left")
        k = np.where(finish, k_finish, k_start)
        if work.size and (work.min() < 0 or k.max() >= self._start.size):
            raise InvalidInputError(
                "axis: offset outside the calendar horizon (raise days_after or days_before)"
            )
        return self._start[k] + work - self._cum[k]

    def _datetime(self, minute: int) -> datetime:
        return datetime.combine(self.first_day, datetime.min.time()) + timedelta(minutes=minute)

    # -- public scalar API -----------------------------------------------------
    def offset(self, dt: datetime) -> int:
        """Working minutes from the project start to ``dt`` (negative before it)."""
        return int(self._work_before(np.array([_minute(dt, self.first_day)]))[0])

    def start_datetime(self, offset: int) -> datetime:
        """The instant a task starting at ``offset`` starts (snapped forward)."""
        return self._datetime(int(self._minute_of(np.array([offset]), False)[0]))

    def finish_datetime(self, offset: int) -> datetime:
        """The instant a task finishing at ``offset`` finishes (snapped back)."""
        return self._datetime(int(self._minute_of(np.array([offset]), True)[0]))

    def task_datetimes(self, start: int, finish: int) -> tuple[datetime, datetime]:
        """Start and finish datetimes of a task; a milestone sits at a finish instant.

        A milestone at the project start (offset 0 or before) sits at the
        start instant: no work of the plan precedes it (Microsoft Project).

        Examples
        --------
        >>> from pmo.engine.calendars import standard_calendar
        >>> ax = CalendarAxis(calendar=standard_calendar(), origin=datetime(2026, 11, 23, 8))
        >>> ax.task_datetimes(480, 480)  # milestone after a one-day task
        (datetime.datetime(2026, 11, 23, 17, 0), datetime.datetime(2026, 11, 23, 17, 0))
        >>> ax.task_datetimes(0, 0)  # milestone at the project start
        (datetime.datetime(2026, 11, 23, 8, 0), datetime.datetime(2026, 11, 23, 8, 0))
        """
        if start == finish:
            at = self.finish_datetime(finish) if start > 0 else self.start_datetime(start)
            return at, at
        return self.start_datetime(start), self.finish_datetime(finish)

    def offsets(self, dts: list[datetime]) -> IntArray:
        """Vectorised :meth:`offset`."""
        if not dts:
            return _EMPTY
        return self._work_before(np.array([_minute(d, self.first_day) for d in dts]))

    def same_working_time(self, other: CalendarAxis) -> bool:
        """Whether ``other`` has the same origin, horizon and working periods."""
        return (
            (self.first_day, self.origin, self.days_before, self.days_after)
            == (other.first_day, other.origin, other.days_before, other.days_after)
            and np.array_equal(self._start, other._start)
            and np.array_equal(self._length, other._length)
        )

    def assumed_years(self, first: int, last: int) -> tuple[int, ...]:
        """Years between two offsets whose public holidays were assumed (weekends only)."""
        return self.calendar.unknown_years(
            self.start_datetime(first).date(), self.finish_datetime(last).date()
        )

    # -- ElapsedAxis protocol (used by the CPM passes) -------------------------
    def shift(self, anchor: IntArray, lag: IntArray, from_finish: BoolArray) -> IntArray:
        """Offset of the first working minute at or after ``anchor`` + ``lag`` elapsed minutes."""
        return self._work_before(self._minute_of(anchor, from_finish) + lag)

    def unshift(self, bound: IntArray, lag: IntArray, from_finish: BoolArray) -> IntArray:
        """Largest anchor ``t`` with ``shift(t, lag) <= bound``."""
        # shift(t) <= b  <=>  instant(t) + lag <= start instant of b, and the
        # largest t whose finish (start) instant is <= z is W(z) (W(z+1) - 1).
        z = self._minute_of(bound, False) - lag
        return np.where(from_finish, self._work_before(z), self._work_before(z + 1) - 1)


@lru_cache(maxsize=64)
def _axis(calendar: Calendar, day: date, days: int) -> CalendarAxis:
    return CalendarAxis(
        calendar=calendar,
        origin=datetime.combine(day, datetime.min.time()),
        days_before=days,
        days_after=days,
    )


def _with_axis(calendar: Calendar, dt: datetime, minutes: int, finish: bool) -> datetime:
    days = 400
    while days <= 40_000:
        ax = _axis(calendar, dt.date().replace(day=1), days)
        try:
            at = ax.offset(dt) + minutes
            return ax.finish_datetime(at) if finish else ax.start_datetime(at)
        except InvalidInputError:
            days *= 4
        except InfeasibleError:
            days *= 4
    raise InfeasibleError(f"calendar {calendar.name!r}: no such working time within 100 years")


def add_working_time(calendar: Calendar, dt: datetime, minutes: int) -> datetime:
    """The instant ``minutes`` of working time after (or before, if negative) ``dt``.

    Adding a positive amount gives a finish (snapped back to the end of a
    working period); adding zero or a negative amount gives a start.

    Examples
    --------
    >>> from pmo.engine.calendars import standard_calendar
    >>> add_working_time(standard_calendar(), datetime(2026, 11, 20, 8), 480)  # Friday
    datetime.datetime(2026, 11, 20, 17, 0)
    >>> add_working_time(standard_calendar(), datetime(2026, 11, 20, 16), 120)
    datetime.datetime(2026, 11, 23, 9, 0)
    """
    return _with_axis(calendar, dt, minutes, minutes > 0)


def next_working_start(calendar: Calendar, dt: datetime) -> datetime:
    """``dt`` if it is working time, else the start of the next working period."""
    return _with_axis(calendar, dt, 0, False)


def previous_working_finish(calendar: Calendar, dt: datetime) -> datetime:
    """``dt`` if it is working time, else the end of the previous working period.

    Examples
    --------
    >>> from pmo.engine.calendars import standard_calendar
    >>> previous_working_finish(standard_calendar(), datetime(2026, 11, 21, 10))  # Saturday
    datetime.datetime(2026, 11, 20, 17, 0)
    """
    return _with_axis(calendar, dt, 0, True)


def working_time_between(calendar: Calendar, a: datetime, b: datetime) -> int:
    """Working minutes from ``a`` to ``b`` (negative when ``b`` is before ``a``).

    Examples
    --------
    >>> from pmo.engine.calendars import standard_calendar
    >>> friday_4pm, monday_9am = datetime(2026, 11, 20, 16), datetime(2026, 11, 23, 9)
    >>> working_time_between(standard_calendar(), friday_4pm, monday_9am)
    120
    """
    days = 400
    while True:
        ax = _axis(calendar, a.date().replace(day=1), days)
        try:
            return ax.offset(b) - ax.offset(a)
        except InvalidInputError:
            if days > 40_000:
                raise
            days *= 4

"""Several calendars on one clock: combined calendars and a stacked axis for the CPM.

Per-task calendars (Microsoft Project's task and resource calendars) put tasks
on different working-time axes. A :class:`CalendarStack` lays the axes of
several calendars with the same origin and horizon side by side in one set
of numpy arrays, so converting a mixed batch (task ``i`` on calendar
``cal[i]``) is still one ``searchsorted``: calendar ``c``'s minutes are
shifted by ``c * span`` and its cumulative working minutes continue those of
calendar ``c - 1``.

:class:`CombinedCalendar` is the intersection (a task calendar together with
resource calendars) or the union (several resources working on one task) of
calendars, day by day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

import numpy as np

from pmo.engine.calendars.axis import BoolArray, CalendarAxis, IntArray, _minute
from pmo.engine.calendars.model import Calendar, Hours
from pmo.engine.errors import InvalidInputError

__all__ = ["CalendarStack", "CombinedCalendar", "around_the_clock"]


def around_the_clock(name: str = "24 Hours") -> Calendar:
    """Every minute is working time (Microsoft Project's "24 Hours"; elapsed durations).

    Examples
    --------
    >>> around_the_clock().day_hours(date(2026, 11, 22))
    ((0, 1440),)
    """
    return Calendar(name=name, week=(((0, 1440),),) * 7)


def _intersect(a: Hours, b: Hours) -> Hours:
    out: list[tuple[int, int]] = []
    for x0, x1 in a:
        for y0, y1 in b:
            lo, hi = max(x0, y0), min(x1, y1)
            if lo < hi:
                out.append((lo, hi))
    return tuple(sorted(out))


def _unite(a: Hours, b: Hours) -> Hours:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted((*a, *b)):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class CombinedCalendar:
    """Working time common to all ``parts`` (``mode="all"``) or of any part (``"any"``).

    Microsoft Project schedules a task that has a task calendar and resources
    in the working time the calendars have in common, and a task with several
    resources (no task calendar) whenever one of them works.

    Examples
    --------
    >>> from pmo.engine.calendars import hours, standard_calendar
    >>> night = Calendar(name="night", week=(hours("00:00-03:00", "22:00-24:00"),) * 7)
    >>> both = CombinedCalendar(name="both", parts=(standard_calendar(), night), mode="any")
    >>> both.day_hours(date(2026, 11, 23))
    ((0, 180), (480, 720), (780, 1020), (1320, 1440))
    >>> CombinedCalendar(name="common", parts=(standard_calendar(), night)).day_hours(
    ...     date(2026, 11, 23))
    ()
    """

    name: str
    parts: tuple[Calendar | CombinedCalendar, ...]
    mode: Literal["all", "any"] = "all"

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))
        if not self.parts:
            raise InvalidInputError(f"calendar {self.name!r}: combines no calendars")
        if self.mode not in ("all", "any"):
            raise InvalidInputError(f"calendar {self.name!r}: mode must be 'all' or 'any'")

    def day_hours(self, day: date) -> Hours:
        """Working periods of ``day`` (intersection or union of the parts')."""
        merge = _intersect if self.mode == "all" else _unite
        got = self.parts[0].day_hours(day)
        for part in self.parts[1:]:
            got = merge(got, part.day_hours(day))
        return got

    def unknown_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years whose holidays were assumed in any part."""
        years: set[int] = set()
        for part in self.parts:
            years.update(part.unknown_years(first, last))
        return tuple(sorted(years))


@dataclass(frozen=True, slots=True, eq=False)
class CalendarStack:
    """Axes of several calendars (same origin and horizon) converted together.

    Calendar ``k`` is ``axes[k]``; by convention index 0 is the project
    calendar. Minutes are absolute minutes since midnight of the axes'
    ``first_day``; offsets are each calendar's working minutes from the
    project start (as :meth:`CalendarAxis.offset`). Implements the
    ``TaskCalendars`` protocol of :mod:`pmo.engine.cpm`.

    Examples
    --------
    >>> from pmo.engine.calendars import hours, standard_calendar
    >>> start = datetime(2026, 11, 23, 8)  # Monday
    >>> night = Calendar(name="night", week=(hours("00:00-06:00", "22:00-24:00"),) * 7)
    >>> stack = CalendarStack(axes=(
    ...     CalendarAxis(calendar=standard_calendar(), origin=start, days_before=7, days_after=30),
    ...     CalendarAxis(calendar=night, origin=start, days_before=7, days_after=30)))
    >>> m = stack.minute_of(np.array([0, 1]), np.array([480, 480]), np.array([True, True]))
    >>> [stack.datetime(int(x)) for x in m]  # one working day on each calendar
    [datetime.datetime(2026, 11, 23, 17, 0), datetime.datetime(2026, 11, 24, 6, 0)]
    """

    axes: tuple[CalendarAxis, ...]
    _span: int = field(init=False, repr=False)
    _start: IntArray = field(init=False, repr=False)
    _length: IntArray = field(init=False, repr=False)
    _cum: IntArray = field(init=False, repr=False)
    _cum_end: IntArray = field(init=False, repr=False)
    _lo: IntArray = field(init=False, repr=False)
    _hi: IntArray = field(init=False, repr=False)
    _base: IntArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        axes = tuple(self.axes)
        object.__setattr__(self, "axes", axes)
        if not axes:
            raise InvalidInputError("calendar stack: needs at least one axis")
        first = axes[0]
        for ax in axes[1:]:
            same = (ax.first_day, ax.days_before, ax.days_after, ax.origin) == (
                first.first_day,
                first.days_before,
                first.days_after,
                first.origin,
            )
            if not same:
                raise InvalidInputError("calendar stack: axes need the same origin and horizon")
        span = (first.days_before + first.days_after + 1) * 1440 + 1
        starts, lengths, zero, lo, hi = [], [], [], [], []
        count = 0
        for c, ax in enumerate(axes):
            starts.append(ax._start + c * span)
            lengths.append(ax._length)
            lo.append(count)
            count += int(ax._start.size)
            hi.append(count)
            zero.append(ax._zero)
        start = np.concatenate(starts)
        length = np.concatenate(lengths)
        cum_end = np.cumsum(length)
        cum = cum_end - length
        lo_arr = np.array(lo, dtype=np.int64)
        object.__setattr__(self, "_span", span)
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_length", length)
        object.__setattr__(self, "_cum", cum)
        object.__setattr__(self, "_cum_end", cum_end)
        object.__setattr__(self, "_lo", lo_arr)
        object.__setattr__(self, "_hi", np.array(hi, dtype=np.int64))
        # work of calendar c at offset t sits at t + _base[c] on the stacked cumulative axis
        object.__setattr__(self, "_base", cum[lo_arr] + np.array(zero, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.axes)

    def work_before(self, cal: IntArray, minute: IntArray) -> IntArray:
        """Offset (working minutes) of calendar ``cal`` at ``minute``: a start snaps forward."""
        last = self._span - 1
        if minute.size and (minute.min() < 0 or minute.max() > last):
            raise InvalidInputError(
                f"axis: date outside the calendar horizon {self.axes[0].first_day} + "
                f"{self.axes[0].days_before + self.axes[0].days_after} days (raise days_after)"
            )
        z = minute + cal * self._span
        k = np.maximum(np.searchsorted(self._start, z, side="right") - 1, self._lo[cal])
        inside = np.clip(z - self._start[k], 0, self._length[k])
        work: IntArray = self._cum[k] + inside - self._base[cal]
        return work

    def minute_of(self, cal: IntArray, offset: IntArray, finish: bool | BoolArray) -> IntArray:
        """Minute of an offset of calendar ``cal``, read as a finish (snapped back) or a start."""
        work = offset + self._base[cal]
        k = np.where(
            finish,
            np.searchsorted(self._cum_end, work, side="left"),
            np.searchsorted(self._cum_end, work, side="right"),
        )
        k = np.maximum(k, self._lo[cal])
        if work.size and ((work < self._cum[self._lo[cal]]).any() or (k >= self._hi[cal]).any()):
            raise InvalidInputError(
                "axis: offset outside the calendar horizon (raise days_after or days_before)"
            )
        return self._start[k] + work - self._cum[k] - cal * self._span

    def minute(self, dt: datetime) -> int:
        """Absolute minute of a datetime."""
        return _minute(dt, self.axes[0].first_day)

    def datetime(self, minute: int) -> datetime:
        """Datetime of an absolute minute."""
        midnight = datetime.combine(self.axes[0].first_day, datetime.min.time())
        return midnight + timedelta(minutes=minute)

    def convert(
        self, source: Sequence[int], offset: IntArray, finish: bool, target: Sequence[int]
    ) -> IntArray:
        """Offsets of calendars ``source`` read as instants, as offsets of calendars ``target``."""
        src = np.asarray(source, dtype=np.int64)
        dst = np.asarray(target, dtype=np.int64)
        return self.work_before(dst, self.minute_of(src, offset, finish))

"""Working calendars: weekly working hours, exceptions, derived and built-in calendars.

Hours of a day are tuples of ``(start, end)`` minutes after midnight, e.g.
``((480, 720), (780, 1020))`` for 08:00-12:00 and 13:00-17:00. An empty
tuple is a non-working day. Datetimes are naive wall-clock times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pmo.engine.errors import InvalidInputError

__all__ = [
    "NINE_TO_FIVE",
    "STANDARD_HOURS",
    "Calendar",
    "CalendarException",
    "Hours",
    "WorkWeek",
    "china_calendar",
    "hours",
    "standard_calendar",
    "western_calendar",
]

Hours = tuple[tuple[int, int], ...]
"""Working periods of one day as ``(start, end)`` minutes after midnight."""

STANDARD_HOURS: Hours = ((480, 720), (780, 1020))
"""08:00-12:00 and 13:00-17:00 (Microsoft Project's "Standard" day)."""

NINE_TO_FIVE: Hours = ((540, 1020),)
"""09:00-17:00."""


def hours(*periods: str) -> Hours:
    """Parse working periods written as ``"HH:MM-HH:MM"``.

    Examples
    --------
    >>> hours("08:00-12:00", "13:00-17:00")
    ((480, 720), (780, 1020))
    >>> hours("22:00-24:00")
    ((1320, 1440),)
    """
    out: list[tuple[int, int]] = []
    for text in periods:
        try:
            a, b = text.split("-")
            ha, ma = (int(x) for x in a.split(":"))
            hb, mb = (int(x) for x in b.split(":"))
        except ValueError as exc:
            raise InvalidInputError(f"hours: cannot read {text!r} (expected HH:MM-HH:MM)") from exc
        out.append((ha * 60 + ma, hb * 60 + mb))
    return _checked(tuple(out), "hours")


def _checked(value: Iterable[tuple[int, int]], name: str) -> Hours:
    periods = tuple((int(a), int(b)) for a, b in value)
    last = 0
    for a, b in periods:
        if not (0 <= a < b <= 1440) or a < last:
            raise InvalidInputError(
                f"{name}: periods must be increasing, non-overlapping, within 00:00-24:00"
            )
        last = b
    return periods


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarException:
    """Dates whose hours differ from the weekly pattern (holiday or extra work).

    Parameters
    ----------
    first, last : date
        Inclusive range (``last`` defaults to ``first``).
    hours : Hours
        Working periods on those dates; empty (default) means non-working.
    name : str
        E.g. "National Day".

    Examples
    --------
    >>> CalendarException(first=date(2026, 12, 25), name="Christmas").last
    datetime.date(2026, 12, 25)
    """

    first: date
    last: date | None = None
    hours: Hours = ()
    name: str = ""

    def __post_init__(self) -> None:
        if self.last is None:
            object.__setattr__(self, "last", self.first)
        elif self.last < self.first:
            raise InvalidInputError(f"exception {self.name!r}: last is before first")
        object.__setattr__(self, "hours", _checked(self.hours, f"exception {self.name!r}"))

    def days(self) -> Iterable[date]:
        """The dates of the exception."""
        assert self.last is not None
        for k in range((self.last - self.first).days + 1):
            yield self.first + timedelta(days=k)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkWeek:
    """A weekly pattern that replaces the default one between two dates.

    Microsoft Project's "work weeks" (e.g. summer hours). Recurring exceptions
    of other tools are expanded into dated :class:`CalendarException` s.

    Examples
    --------
    >>> summer = WorkWeek(first=date(2026, 7, 1), last=date(2026, 8, 31),
    ...                   week=(hours("08:00-14:00"),) * 5 + ((), ()), name="summer")
    >>> summer.week[0]
    ((480, 840),)
    """

    first: date
    last: date
    week: tuple[Hours, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInputError(f"work week {self.name!r}: last is before first")
        if len(self.week) != 7:
            raise InvalidInputError(f"work week {self.name!r}: week needs 7 days (Mon..Sun)")
        week = tuple(_checked(h, f"work week {self.name!r}") for h in self.week)
        object.__setattr__(self, "week", week)


HOLIDAY_SOURCES = ("CN",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Calendar:
    """A working calendar, optionally derived from a base calendar.

    A day's hours are, in this order: this calendar's exception for the date;
    the holiday source (``"CN"``: mainland China statutory holidays and
    adjusted working days, 调休); the base calendar's exceptions and source;
    this calendar's work week for the date, its default week; else the
    base's work week and default week.

    Parameters
    ----------
    name : str
    week : tuple of 7 Hours, optional
        Monday..Sunday; inherited from ``base`` when omitted.
    exceptions : tuple of CalendarException
    work_weeks : tuple of WorkWeek
        Other weekly patterns for date ranges.
    base : Calendar, optional
        E.g. the project calendar a resource calendar derives from.
    holidays : str, optional
        ``"CN"`` to use the ``chinesecalendar`` package.
    covered_years : frozenset of int
        Years the holiday source does not know but for which an administrator
        entered the official schedule as exceptions (not reported as assumed).

    Examples
    --------
    >>> cal = standard_calendar(holidays=[date(2026, 12, 25)])
    >>> cal.day_hours(date(2026, 12, 24)), cal.day_hours(date(2026, 12, 25))
    (((480, 720), (780, 1020)), ())
    >>> alice = Calendar(name="Alice", base=cal, exceptions=(
    ...     CalendarException(first=date(2026, 12, 28), last=date(2026, 12, 31), name="leave"),))
    >>> alice.day_hours(date(2026, 12, 25)), alice.day_hours(date(2026, 12, 29))
    ((), ())
    """

    name: str
    week: tuple[Hours, ...] | None = None
    exceptions: tuple[CalendarException, ...] = ()
    work_weeks: tuple[WorkWeek, ...] = ()
    base: Calendar | None = None
    holidays: str | None = None
    covered_years: frozenset[int] = frozenset()
    _index: dict[date, Hours] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.week is None and self.base is None:
            raise InvalidInputError(f"calendar {self.name!r}: needs a week or a base calendar")
        if self.week is not None:
            if len(self.week) != 7:
                raise InvalidInputError(f"calendar {self.name!r}: week needs 7 days (Mon..Sun)")
            week = tuple(_checked(h, f"calendar {self.name!r} week") for h in self.week)
            object.__setattr__(self, "week", week)
        if self.holidays is not None and self.holidays not in HOLIDAY_SOURCES:
            raise InvalidInputError(
                f"calendar {self.name!r}: unknown holiday source {self.holidays!r}"
            )
        object.__setattr__(self, "exceptions", tuple(self.exceptions))
        object.__setattr__(self, "work_weeks", tuple(self.work_weeks))
        object.__setattr__(self, "covered_years", frozenset(self.covered_years))
        for exc in self.exceptions:
            for day in exc.days():
                self._index[day] = exc.hours

    def weekly_hours(self, weekday: int) -> Hours:
        """Hours of a weekday (0 = Monday) in the default weekly pattern."""
        if self.week is not None:
            return self.week[weekday]
        assert self.base is not None
        return self.base.weekly_hours(weekday)

    def _weekly(self, day: date) -> Hours:
        for ww in self.work_weeks:
            if ww.first <= day <= ww.last:
                return ww.week[day.weekday()]
        if self.week is not None:
            return self.week[day.weekday()]
        assert self.base is not None
        return self.base._weekly(day)

    def _special(self, day: date, workday_hours: Hours) -> Hours | None:
        got = self._index.get(day)
        if got is not None:
            return got
        if self.holidays == "CN":
            working = _cn_workday(day)
            if working is not None and working != (day.weekday() < 5):
                return workday_hours if working else ()
        if self.base is not None:
            return self.base._special(day, workday_hours)
        return None

    def day_hours(self, day: date) -> Hours:
        """Working periods of ``day`` (empty when it is not a working day)."""
        special = self._special(day, self._workday_hours())
        return self._weekly(day) if special is None else special

    def _workday_hours(self) -> Hours:
        for wd in range(5):
            if self.weekly_hours(wd):
                return self.weekly_hours(wd)
        return STANDARD_HOURS

    def _covered(self, year: int) -> bool:
        if year in self.covered_years:
            return True
        return self.base is not None and self.base._covered(year)

    def _uses_source(self) -> bool:
        return self.holidays is not None or (self.base is not None and self.base._uses_source())

    def unknown_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years within ``first..last`` whose holidays were assumed (weekends only).

        Examples
        --------
        >>> china_calendar().unknown_years(date(2026, 6, 1), date(2027, 3, 1))
        (2027,)
        """
        if not self._uses_source():
            return ()
        return tuple(
            y for y in range(first.year, last.year + 1) if not _cn_known(y) and not self._covered(y)
        )


def _cn_known(year: int) -> bool:
    return _cn_workday(date(year, 1, 1)) is not None


def _cn_workday(day: date) -> bool | None:
    """``chinese_calendar.is_workday``, or None for a year it does not know."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def _week(workday: Hours, days: int = 5) -> tuple[Hours, ...]:
    return tuple(workday if k < days else () for k in range(7))


def _holiday_exceptions(holidays: Iterable[date]) -> tuple[CalendarException, ...]:
    return tuple(CalendarException(first=d, name="holiday") for d in sorted(set(holidays)))


def standard_calendar(holidays: Iterable[date] = (), *, name: str = "Standard") -> Calendar:
    """Microsoft Project's "Standard": Mon-Fri 08:00-12:00, 13:00-17:00.

    Examples
    --------
    >>> standard_calendar().day_hours(date(2026, 11, 23))  # a Monday
    ((480, 720), (780, 1020))
    """
    return Calendar(name=name, week=_week(STANDARD_HOURS), exceptions=_holiday_exceptions(holidays))


def western_calendar(
    holidays: Iterable[date] = (), *, name: str = "Mon-Fri 9-17", workday: Hours = NINE_TO_FIVE
) -> Calendar:
    """Mon-Fri 09:00-17:00 with an optional list of holidays.

    Examples
    --------
    >>> western_calendar().day_hours(date(2026, 11, 28))  # a Saturday
    ()
    """
    return Calendar(name=name, week=_week(workday), exceptions=_holiday_exceptions(holidays))


def china_calendar(
    *, name: str = "中国大陆 (China mainland)", workday: Hours = STANDARD_HOURS
) -> Calendar:
    """Mainland China: Mon-Fri plus statutory holidays and adjusted working days (调休).

    Uses ``chinesecalendar`` for the years it knows; other years follow the
    weekends-only rule and are listed by :meth:`Calendar.unknown_years`.

    Examples
    --------
    >>> cn = china_calendar()
    >>> cn.day_hours(date(2026, 10, 1)), cn.day_hours(date(2026, 10, 10))  # holiday, 调休 Saturday
    ((), ((480, 720), (780, 1020)))
    """
    return Calendar(name=name, week=_week(workday), holidays="CN")

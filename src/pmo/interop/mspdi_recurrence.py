"""Expand the recurring calendar exceptions of MSPDI into the dates they cover.

Microsoft Project 2007+ writes an exception as ``Calendars/Calendar/Exceptions/Exception``
with a ``Type`` (Microsoft's ``PjExceptionType``): 1 daily, 2 yearly on a day of a month,
3 yearly on a position in a month ("fourth Thursday of November"), 4 monthly on a day,
5 monthly on a position, 6 weekly on some days, 7 daily ending after a count of days
(``pjDayCount``) and 8 a count of weekdays (``pjWeekDayCount``). Codes of the elements
(Microsoft's "Project XML Data Interchange Schema Reference"):

- ``Period``: every *Period* days / weeks / months / years (default 1);
- ``DaysOfWeek``: bit mask, Sunday 1, Monday 2, Tuesday 4 ... Saturday 64;
- ``Month``: 0 = January .. 11 = December;
- ``MonthDay``: 1..31;
- ``MonthItem``: 0 day, 1 weekday, 2 weekend day, 3 Sunday .. 9 Saturday;
- ``MonthPosition``: 0 first, 1 second, 2 third, 3 fourth, 4 last;
- ``EnteredByOccurrences`` 1: the rule ends after ``Occurrences``; otherwise at the
  ``TimePeriod/ToDate``. The first occurrence is the first matching date on or after
  ``TimePeriod/FromDate``.

A day of month that a month does not have (the 31st, 29 February) falls on the month's
last day. Weeks of a weekly rule are counted from the week holding ``FromDate``, weeks
starting on the project's ``WeekStartDay`` (0 Sunday, Microsoft Project's default).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

__all__ = ["MAX_OCCURRENCES", "Recurrence", "RecurrenceError", "occurrences"]

MAX_OCCURRENCES = 10_000
"""More dates than this from one exception are refused (Microsoft Project allows 999)."""

_ONE_DAY = dt.timedelta(days=1)


class RecurrenceError(ValueError):
    """The recurrence cannot be expanded; the message names the element at fault."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Recurrence:
    """One ``Exception`` element's rule, as read from the file (codes as in MSPDI)."""

    type: int
    first: dt.date
    last: dt.date | None = None  # TimePeriod/ToDate
    count: int | None = None  # Occurrences, when EnteredByOccurrences is 1
    period: int = 1
    days_of_week: int | None = None
    month: int | None = None
    month_day: int | None = None
    month_item: int | None = None
    month_position: int | None = None
    week_start: int = 0  # 0 Sunday .. 6 Saturday


def _weekday_bit(day: dt.date) -> int:
    """The DaysOfWeek bit of ``day`` (Sunday 1 .. Saturday 64)."""
    return 1 << ((day.weekday() + 1) % 7)


def _day_of(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _item_matches(item: int, day: dt.date) -> bool:
    if item == 0:
        return True
    if item == 1:
        return day.weekday() < 5
    if item == 2:
        return day.weekday() >= 5
    return (day.weekday() + 1) % 7 == item - 3


def _positional(year: int, month: int, item: int, position: int) -> dt.date:
    days = [
        dt.date(year, month, k)
        for k in range(1, calendar.monthrange(year, month)[1] + 1)
        if _item_matches(item, dt.date(year, month, k))
    ]
    return days[-1] if position == 4 else days[position]


def _need(value: int | None, name: str, low: int, high: int) -> int:
    if value is None:
        raise RecurrenceError(_("%(element)s is missing") % {"element": name})
    if not low <= value <= high:
        raise RecurrenceError(
            _("%(element)s %(value)s is not %(low)s..%(high)s")
            % {"element": name, "value": value, "low": low, "high": high}
        )
    return value


def _months(rule: Recurrence, step: int) -> Iterator[tuple[int, int]]:
    """(year, month) from the month of ``first``, every ``step`` months."""
    k = rule.first.year * 12 + rule.first.month - 1
    while True:
        year, month0 = divmod(k, 12)
        if year > dt.MAXYEAR - 1:
            return
        yield year, month0 + 1
        k += step


def _candidates(rule: Recurrence) -> Iterator[dt.date]:
    """Matching dates in increasing order, possibly before ``first`` (filtered by the caller)."""
    kind, step = rule.type, rule.period
    if kind in (1, 7):
        day = rule.first
        while True:
            yield day
            day += dt.timedelta(days=step)
    elif kind == 8:
        day = rule.first
        while True:
            if day.weekday() < 5:
                yield day
            day += _ONE_DAY
    elif kind == 6:
        mask = _need(rule.days_of_week, "DaysOfWeek", 1, 127)
        back = (rule.first.weekday() + 1 - rule.week_start) % 7  # days since the week began
        week = rule.first - dt.timedelta(days=back)
        while True:
            for k in range(7):
                day = week + dt.timedelta(days=k)
                if _weekday_bit(day) & mask:
                    yield day
            week += dt.timedelta(weeks=step)
    elif kind in (2, 3):
        month = _need(rule.month, "Month", 0, 11) + 1
        for year, _m in _months(rule, 12 * step):
            if kind == 2:
                yield _day_of(year, month, _need(rule.month_day, "MonthDay", 1, 31))
            else:
                item = _need(rule.month_item, "MonthItem", 0, 9)
                yield _positional(
                    year, month, item, _need(rule.month_position, "MonthPosition", 0, 4)
                )
    elif kind in (4, 5):
        for year, month in _months(rule, step):
            if kind == 4:
                yield _day_of(year, month, _need(rule.month_day, "MonthDay", 1, 31))
            else:
                item = _need(rule.month_item, "MonthItem", 0, 9)
                yield _positional(
                    year, month, item, _need(rule.month_position, "MonthPosition", 0, 4)
                )
    else:
        raise RecurrenceError(_("Type %(type)s is not 1..8") % {"type": kind})


def occurrences(rule: Recurrence) -> list[dt.date]:
    """The dates a recurring exception covers, in order.

    Examples
    --------
    Thanksgiving (fourth Thursday of November) from 2026 to 2028:

    >>> occurrences(Recurrence(type=3, first=dt.date(2026, 1, 1), last=dt.date(2028, 12, 31),
    ...                        month=10, month_item=7, month_position=3))
    [datetime.date(2026, 11, 26), datetime.date(2027, 11, 25), datetime.date(2028, 11, 23)]
    """
    if rule.period < 1:
        raise RecurrenceError(_("Period %(period)s is not 1 or more") % {"period": rule.period})
    if rule.count is not None:
        if rule.count < 1:
            raise RecurrenceError(
                _("Occurrences %(count)s is not 1 or more") % {"count": rule.count}
            )
        if rule.count > MAX_OCCURRENCES:
            raise RecurrenceError(
                _("Occurrences %(count)s is more than %(max)s")
                % {"count": rule.count, "max": MAX_OCCURRENCES}
            )
    elif rule.last is None:
        raise RecurrenceError(_("TimePeriod/ToDate is missing (and not EnteredByOccurrences)"))
    elif rule.last < rule.first:
        raise RecurrenceError(
            _("TimePeriod ends (%(last)s) before it starts (%(first)s)")
            % {"last": rule.last, "first": rule.first}
        )
    out: list[dt.date] = []
    try:
        _collect(rule, out)
    except OverflowError:
        raise RecurrenceError(_("the recurrence runs past the year 9999")) from None
    return out


def _collect(rule: Recurrence, out: list[dt.date]) -> None:
    for day in _candidates(rule):
        if day < rule.first:
            continue
        if rule.count is None and rule.last is not None and day > rule.last:
            break
        out.append(day)
        if rule.count is not None and len(out) == rule.count:
            break
        if len(out) > MAX_OCCURRENCES:
            raise RecurrenceError(_("more than %(max)s occurrences") % {"max": MAX_OCCURRENCES})

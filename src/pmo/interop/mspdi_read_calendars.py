"""Read MSPDI calendars: working weeks, work weeks and dated or recurring exceptions.

Both layouts are read: the pre-2007 one (exceptions as ``WeekDay`` elements of
type 0) and the 2007+ one (``Exceptions`` with names and recurrences, expanded
by :mod:`pmo.interop.mspdi_recurrence`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from django.utils.translation import gettext as _

from pmo.core.sentences import quoted
from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_elements import NS, Reader, child_text
from pmo.interop.mspdi_recurrence import Recurrence, RecurrenceError, occurrences
from pmo.scheduling.planio import CalendarData, ExceptionData, Hours, WorkWeekData

__all__ = ["read_calendar"]


def _clock(r: Reader, text: str, tag: str, *, end: bool) -> int:
    """Minutes after midnight of ``HH:MM[:SS]``; 24:00:00 only as an end (00:00 ends at 24:00).

    Out-of-range parts are refused, quoting the file (``08:75:00`` is not 09:15).
    """
    parts = text.strip().split(":")
    try:
        if len(parts) not in (2, 3):
            raise ValueError(text)
        hours, minutes = int(parts[0]), int(parts[1])
        seconds = float(parts[2]) if len(parts) == 3 else 0.0
    except ValueError:
        hours = minutes = -1
        seconds = 0.0
    midnight = end and hours == 24 and minutes == 0 and seconds == 0
    if not midnight and not (0 <= hours <= 23 and 0 <= minutes <= 59 and 0 <= seconds < 60):
        raise r.fail(
            _(
                "WorkingTime %(element)s %(value)s is not a time of day (hours 0-23, minutes "
                "and seconds 0-59; 24:00:00 only as a ToTime)"
            )
            % {"element": tag, "value": quoted(text)}
        )
    minute = hours * 60 + minutes
    return 1440 if end and minute == 0 else minute


def _hours(r: Reader, day: ET.Element) -> Hours:
    spans: list[tuple[int, int, str, str]] = []
    for wt in day.findall("p:WorkingTimes/p:WorkingTime", NS):
        from_text, to_text = child_text(wt, "p:FromTime"), child_text(wt, "p:ToTime")
        if not (from_text and to_text):
            continue
        first = _clock(r, from_text, "FromTime", end=False)
        last = _clock(r, to_text, "ToTime", end=True)
        if first >= last:
            raise r.fail(
                _("WorkingTime FromTime %(start)s is not before its ToTime %(end)s")
                % {"start": quoted(from_text), "end": quoted(to_text)}
            )
        spans.append((first, last, from_text, to_text))
    spans.sort()
    for (_a, b, _f, _t), (c, _d, _g, _u) in itertools.pairwise(spans):
        if c < b:
            raise r.fail(_("WorkingTimes overlap"))
    return [(a, b) for a, b, _f, _t in spans]


def _before(first: dt.date, last: dt.date) -> str:
    return _("exception from %(first)s to %(last)s: ToDate is before FromDate") % {
        "first": first,
        "last": last,
    }


def _date(r: Reader, el: ET.Element, tag: str) -> dt.date:
    value = child_text(el, f"p:{tag}")
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        raise r.fail(
            _("%(element)s %(value)s is not a date") % {"element": tag, "value": quoted(value)}
        ) from None


def _week(r: Reader, container: ET.Element, exceptions: list[ExceptionData]) -> list[Hours] | None:
    week: list[Hours | None] = [None] * 7
    for wd in container.findall("p:WeekDays/p:WeekDay", NS):
        day = Reader(r.where, wd)
        kind = day.integer("DayType", 0) or 0
        hours = _hours(r, wd) if day.flag("DayWorking") else []
        if kind == 0:  # an exception in the pre-2007 layout
            period = wd.find("p:TimePeriod", NS)
            if period is None:
                raise r.fail(_("WeekDay DayType 0 without TimePeriod"))
            first = _date(r, period, "FromDate")
            last = _date(r, period, "ToDate")
            if last < first:
                raise r.fail(_before(first, last))
            exceptions.append(ExceptionData(first=first, last=last, hours=hours))
        elif 1 <= kind <= 7:  # 1 = Sunday .. 7 = Saturday
            week[(kind + 5) % 7] = hours
        else:
            raise r.fail(_("WeekDay DayType %(type)s is not 0..7") % {"type": kind})
    if all(day is None for day in week):
        return None
    return [day if day is not None else [] for day in week]


def _exception(r: Reader, ex: ET.Element, week_start: int) -> list[ExceptionData]:
    """The dated exceptions of one ``Exception`` element (recurrences expanded)."""
    e = Reader(r.where, ex)
    name = e.text("Name") or ""
    period = ex.find("p:TimePeriod", NS)
    if period is None:
        raise r.fail(_("Exception without TimePeriod"))
    first = _date(r, period, "FromDate")
    last = _date(r, period, "ToDate") if child_text(period, "p:ToDate") else None
    e.where = f"{r.where}: Exception {quoted(name)}"
    kind = e.integer("Type")
    if kind is None:
        raise e.fail(_("Type is missing"))
    by_count = e.flag("EnteredByOccurrences")
    count = e.integer("Occurrences") if by_count else None
    if by_count and count is None:
        raise e.fail(_("EnteredByOccurrences without Occurrences"))
    if kind == 1 and not by_count and last is not None and last < first:
        raise r.fail(_before(first, last))
    every = e.integer("Period", 1)
    hours = _hours(r, ex) if e.flag("DayWorking") else []
    if kind == 1 and every == 1 and not by_count and last is not None:  # a dated range
        return [ExceptionData(first=first, last=last, hours=hours, name=name)]
    rule = Recurrence(
        type=kind,
        first=first,
        last=last,
        count=count,
        period=1 if every is None else every,
        days_of_week=e.integer("DaysOfWeek"),
        month=e.integer("Month"),
        month_day=e.integer("MonthDay"),
        month_item=e.integer("MonthItem"),
        month_position=e.integer("MonthPosition"),
        week_start=week_start,
    )
    try:
        days = occurrences(rule)
    except RecurrenceError as exc:
        raise e.fail(str(exc)) from None
    out: list[ExceptionData] = []
    for day in days:  # consecutive dates become one range
        if out and out[-1].last + dt.timedelta(days=1) == day:
            out[-1].last = day
        else:
            out.append(ExceptionData(first=day, last=day, hours=list(hours), name=name))
    return out


def read_calendar(el: ET.Element, week_start: int = 0) -> CalendarData:
    """One ``Calendar`` element; ``week_start`` is the project's first weekday (0 = Sunday)."""
    uid = Reader("Calendar", el).integer("UID")
    if uid is None:
        raise ImportFileError(_("Calendar: UID is missing"))
    r = Reader(f"Calendar UID {uid}", el)
    exceptions: list[ExceptionData] = []
    week = _week(r, el, exceptions)
    dated = el.findall("p:Exceptions/p:Exception", NS)
    if dated:
        # the 2007+ layout carries names and recurrences; the pre-2007 copy is then ignored
        exceptions = [e for ex in dated for e in _exception(r, ex, week_start)]
    work_weeks = []
    for ww in el.findall("p:WorkWeeks/p:WorkWeek", NS):
        period = ww.find("p:TimePeriod", NS)
        if period is None:
            raise r.fail(_("WorkWeek without TimePeriod"))
        days = _week(r, ww, []) or [[] for _day in range(7)]
        work_weeks.append(
            WorkWeekData(
                first=_date(r, period, "FromDate"),
                last=_date(r, period, "ToDate"),
                week=days,
                name=child_text(ww, "p:Name") or "",
            )
        )
    base = r.integer("BaseCalendarUID")
    if r.flag("IsBaseCalendar") or base is None or base < 0:
        base = None
    return CalendarData(
        uid=uid,
        name=r.text("Name") or f"Calendar {uid}",
        week=week,
        base_uid=base,
        exceptions=exceptions,
        work_weeks=work_weeks,
    )

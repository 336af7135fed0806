"""The China holiday rule (``holidays="CN"``) in MS Project files.

MS Project knows no holiday rule, only dated exceptions: the writer spells the rule's days out
(weekday holidays off, 调休 weekends worked) over the plan's horizon, and the reader turns
exceptions that are exactly those days back into the rule, so future years keep coming from
the library (ADR 0003, MSPDI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import chinese_calendar

from pmo.scheduling.adapters import AXIS_DAYS_AFTER, AXIS_DAYS_BEFORE
from pmo.scheduling.planio import CalendarData, ExceptionData, Hours

__all__ = ["china_days", "recognise_china"]


def _cn_years(start: dt.datetime) -> list[int]:
    """Years of the plan's horizon (the engine's axis) whose holidays ``chinesecalendar`` knows."""
    first = (start - dt.timedelta(days=AXIS_DAYS_BEFORE)).year
    last = (start + dt.timedelta(days=AXIS_DAYS_AFTER)).year
    known = {day.year for day in chinese_calendar.holidays}
    return [year for year in range(first, last + 1) if year in known]


def _weekly(
    cal: CalendarData, by_uid: dict[int, CalendarData], day: dt.date | None, weekday: int
) -> Hours:
    """Hours of ``day`` by the calendar's work weeks and week, else its base's (as the engine);
    ``day`` None: the default week's ``weekday`` (0 = Monday)."""
    seen: set[int] = set()
    c: CalendarData | None = cal
    while c is not None and c.uid not in seen:
        seen.add(c.uid)
        for w in c.work_weeks:
            if day is not None and w.first <= day <= w.last:
                return w.week[weekday]
        if c.week is not None:
            return c.week[weekday]
        c = by_uid.get(c.base_uid) if c.base_uid is not None else None
    return []


def china_days(
    cal: CalendarData, by_uid: dict[int, CalendarData], start: dt.datetime
) -> dict[dt.date, tuple[Hours, str, bool]]:
    """The China rule's days (``holidays="CN"``) on ``cal`` over the horizon of a plan from
    ``start``: per date its hours, a name, and whether the rule changes the day.

    The rule changes weekday holidays (off) and 调休 weekend days (on, with the hours of the
    calendar's first working weekday, as the engine); a holiday on a day the week leaves off
    anyway is included unchanged, so that a holiday is one range (1-7 October).
    """
    years = set(_cn_years(start))
    workday = next(
        (h for h in (_weekly(cal, by_uid, None, k) for k in range(5)) if h),
        [(480, 720), (780, 1020)],  # the engine's STANDARD_HOURS when no weekday works
    )
    out: dict[dt.date, tuple[Hours, str, bool]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.year in years and (
            day.weekday() < 5 or not _weekly(cal, by_uid, day, day.weekday())
        ):
            chinese = chinese_calendar.Holiday(name).chinese
            out[day] = ([], f"{chinese} {name}", day.weekday() < 5)
    for day, name in chinese_calendar.workdays.items():
        if day.year in years and day.weekday() >= 5:
            chinese = chinese_calendar.Holiday(name).chinese
            out[day] = (list(workday), f"{chinese}调休 {name} working day", True)
    return dict(sorted(out.items()))


def recognise_china(cal: CalendarData, by_uid: dict[int, CalendarData], start: dt.datetime) -> None:
    """Turn exceptions that are the China rule's days back into ``holidays="CN"``.

    Recognised when every day the rule changes, in the horizon's known years up to the last
    one with a matching day, has an exception (the rule's hours, or a hand-entered day the
    exporter wrote instead); the exceptions equal to the rule's days are then dropped.
    """
    if cal.holidays or not cal.exceptions:
        return
    rule = china_days(cal, by_uid, start)
    if not rule:
        return
    lo, hi = next(iter(rule)), next(reversed(rule))
    own: dict[dt.date, Hours] = {}
    for e in cal.exceptions:
        for k in range(max((e.first - lo).days, 0), (min(e.last, hi) - lo).days + 1):
            own[lo + dt.timedelta(days=k)] = e.hours
    matched = [d for d, (hours, _n, changed) in rule.items() if changed and own.get(d) == hours]
    if not matched:
        return
    # years after the last match: unknown to the library that wrote the file
    hi = dt.date(matched[-1].year, 12, 31)
    if any(changed and d <= hi and d not in own for d, (_h, _n, changed) in rule.items()):
        return
    drop = {d for d, (hours, _n, _c) in rule.items() if d <= hi and own.get(d) == hours}
    kept: list[ExceptionData] = []
    one = dt.timedelta(days=1)
    for e in cal.exceptions:  # the exceptions left, split around the dropped days
        a, b = max(e.first, lo), min(e.last, hi)
        if a > b:
            kept.append(e)
            continue
        pieces = [replace(e, last=a - one, hours=list(e.hours))] if e.first < a else []
        for day in (a + k * one for k in range((b - a).days + 1)):
            if day in drop:
                continue
            if pieces and pieces[-1].last + one == day:
                pieces[-1].last = day
            else:
                pieces.append(replace(e, first=day, last=day, hours=list(e.hours)))
        if e.last > b:  # the part after the window, joined to the last piece when adjacent
            if pieces and pieces[-1].last == b:
                pieces[-1].last = e.last
            else:
                pieces.append(replace(e, first=b + one, hours=list(e.hours)))
        kept.extend(pieces)
    cal.exceptions, cal.holidays = kept, "CN"

"""Working days of each project's calendar for the impact analysis (``WorkDays``): the plan
calendar when the project has a plan, else the mainland-China calendar for projects under a
China region, else Monday to Friday."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import numpy as np

from pmo.accounts.models import OrgUnit, OrgUnitKind
from pmo.core.errors import DomainError
from pmo.engine.calendars import Calendar as EngineCalendar
from pmo.engine.calendars import china_calendar
from pmo.scheduling.adapters import engine_calendar
from pmo.scheduling.models import Plan

__all__ = [
    "CALENDAR_YEARS_AHEAD",
    "CALENDAR_YEARS_BACK",
    "WorkDays",
    "add_workdays",
    "project_calendars",
    "workdays_between",
]


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days (Mon-Fri) in ``[a, b)`` (negative when ``b`` is before ``a``)."""
    return int(np.busday_count(a, b))


def add_workdays(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days`` working days (a weekend day first rolls to Monday)."""
    value = np.busday_offset(np.datetime64(day, "D"), days, roll="forward")
    return dt.date.fromisoformat(str(value))


CALENDAR_YEARS_BACK, CALENDAR_YEARS_AHEAD = 10, 20
"""The span of the working-day calendars built for an analysis, around today."""


@functools.lru_cache(maxsize=64)
def _working_days(calendar: EngineCalendar, first: dt.date, last: dt.date) -> Any:
    """The working days of ``calendar`` in ``[first, last]``, read-only. Built day by day (a
    holiday source answers one day at a time: ~10,000 calls for the register's span, about
    half of its page's time), so kept across requests: a calendar is a frozen value, and one
    whose days or exceptions change is another key."""
    span = (last - first).days + 1
    days = np.array(
        [
            first + dt.timedelta(days=k)
            for k in range(span)
            if calendar.day_hours(first + dt.timedelta(days=k))
        ],
        dtype="datetime64[D]",
    )
    days.flags.writeable = False
    return days


class WorkDays:
    """The working days of one calendar between ``first`` and ``last`` as a sorted array, so
    counting and shifting are two ``searchsorted`` calls (holidays and make-up working
    weekends, 调休, included). Outside that range: Monday to Friday. ``calendar=None``: Monday
    to Friday everywhere."""

    def __init__(self, calendar: EngineCalendar | None, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self.first, self.last = first, last
        self.days = np.empty(0, dtype="datetime64[D]")
        if calendar is not None:
            self.days = _working_days(calendar, first, last)

    def _inside(self, day: dt.date) -> bool:
        return self.calendar is not None and self.first <= day <= self.last

    def between(self, a: dt.date, b: dt.date) -> int:
        """Working days in ``[a, b)`` (negative when ``b`` is before ``a``)."""
        if self._inside(a) and self._inside(b):
            i, j = np.searchsorted(self.days, np.array([a, b], dtype="datetime64[D]"))
            return int(j - i)
        return workdays_between(a, b)

    def add(self, day: dt.date, n: int) -> dt.date:
        """``day`` moved by ``n >= 0`` working days (a day off first rolls to the next working
        day); past the range the rest is counted Monday to Friday."""
        if not self._inside(day):
            return add_workdays(day, n)
        i = int(np.searchsorted(self.days, np.datetime64(day, "D"))) + n
        if i < len(self.days):
            return dt.date.fromisoformat(str(self.days[i]))
        return add_workdays(self.last + dt.timedelta(days=1), i - len(self.days))

    def assumed_years(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """Years in ``[a, b]`` whose holidays the calendar's source did not know."""
        return self.calendar.unknown_years(a, b) if self.calendar is not None else ()


def _china_units() -> list[str]:
    """Paths of org-unit regions named or coded like mainland China."""
    rows = OrgUnit.objects.filter(kind=OrgUnitKind.REGION).values_list(
        "path", "code", "name", "name_zh"
    )
    return [
        path
        for path, code, name, name_zh in rows
        if code.lower() in ("cn", "china")
        or code.lower().startswith("cn-")
        or "china" in name.lower()
        or "中国" in (name_zh or "")
    ]


def project_calendars(
    projects: dict[int, dict[str, Any]], dates: list[dt.date], *, only_these: bool = False
) -> dict[int, WorkDays]:
    """Each project's working days over ``dates`` (the items' dates and starts), one
    ``WorkDays`` per distinct calendar. ``only_these``: read the plans of ``projects`` only
    (a few projects' calendars, e.g. a dependency's consumer; the network reads them all)."""
    # the calendars are built day by day: bounded to the years planning can mean, so one item
    # dated in year 100 or 9999 neither stalls every analysis nor overflows (Monday to Friday
    # counts outside the range, as documented on WorkDays)
    today = dt.date.today()
    earliest = today - dt.timedelta(days=366 * CALENDAR_YEARS_BACK)
    latest = today + dt.timedelta(days=366 * CALENDAR_YEARS_AHEAD)
    first = max(min(dates, default=today), earliest) - dt.timedelta(days=31)
    last = min(max(dates, default=today), latest) + dt.timedelta(days=2 * 366)
    plan_calendar: dict[int, EngineCalendar] = {}
    stored: dict[int, EngineCalendar] = {}
    plans = Plan.objects.filter(calendar__isnull=False)
    if only_these:
        plans = plans.filter(project_id__in=list(projects))
    for plan in plans.select_related("calendar__base").prefetch_related(
        "calendar__exceptions", "calendar__base__exceptions"
    ):
        assert plan.calendar is not None
        key = plan.calendar.pk
        if key not in stored:
            try:
                stored[key] = engine_calendar(plan.calendar)
            except DomainError:
                continue  # a broken plan calendar: the project counts Monday to Friday
        plan_calendar[plan.project_id] = stored[key]
    china = _china_units()
    cn = china_calendar()
    built: dict[EngineCalendar | None, WorkDays] = {}
    out: dict[int, WorkDays] = {}
    for pid, p in projects.items():
        cal: EngineCalendar | None = plan_calendar.get(pid)
        if cal is None and any((p["org_unit__path"] or "").startswith(c) for c in china):
            cal = cn
        if cal not in built:
            built[cal] = WorkDays(cal, first, last)
        out[pid] = built[cal]
    return out

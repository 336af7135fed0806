"""Stored calendars as engine calendars and the working-time axes plans are scheduled on.

Part of :mod:`pmo.scheduling.adapters`: the project calendar's axis, each task's effective
calendar (Microsoft Project's rules) and working-time offsets of wall-clock datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pmo.engine.calendars import Calendar as EngineCalendar
from pmo.engine.calendars import (
    CalendarAxis,
    CalendarException,
    CalendarStack,
    CombinedCalendar,
    WorkingCalendar,
    WorkWeek,
    around_the_clock,
    standard_calendar,
    working_time_between,
)
from pmo.engine.errors import EngineError
from pmo.scheduling.adapters.errors import ScheduleError, engine_message
from pmo.scheduling.models import Assignment, Calendar, Plan, Task
from pmo.scheduling.walltime import from_db

__all__ = [
    "AXIS_DAYS_AFTER",
    "AXIS_DAYS_BEFORE",
    "engine_calendar",
    "horizon_days",
    "working_offsets",
    "working_time_between",
]

AXIS_DAYS_BEFORE = 366
AXIS_DAYS_AFTER = 3660


def horizon_days() -> dict[str, str]:
    """``before`` and ``after``: the plan's horizon in days as a message writes numbers, grouped
    by thousands in the reader's language ("3,660", as other messages have it)."""
    return {
        "before": number_format(AXIS_DAYS_BEFORE, use_l10n=True, force_grouping=True),
        "after": number_format(AXIS_DAYS_AFTER, use_l10n=True, force_grouping=True),
    }


def engine_calendar(calendar: Calendar | None, seen: tuple[int, ...] = ()) -> EngineCalendar:
    """The engine calendar of a stored calendar (Standard when there is none)."""
    if calendar is None:
        return standard_calendar()
    if calendar.pk in seen:
        raise ScheduleError(
            _("Calendar UID %(uid)s: base calendars form a cycle") % {"uid": calendar.uid}
        )
    base = None
    if calendar.base_id is not None:
        base = engine_calendar(calendar.base, (*seen, calendar.pk))
    week = None
    if calendar.week is not None:
        week = tuple(tuple((int(a), int(b)) for a, b in day) for day in calendar.week)
    exceptions = tuple(
        CalendarException(
            first=e.first,
            last=e.last,
            name=e.name,
            hours=tuple((int(a), int(b)) for a, b in e.hours),
        )
        for e in calendar.exceptions.all()
    )
    try:
        work_weeks = tuple(
            WorkWeek(
                first=dt.date.fromisoformat(w["first"]),
                last=dt.date.fromisoformat(w["last"]),
                name=w.get("name", ""),
                week=tuple(tuple((int(a), int(b)) for a, b in day) for day in w["week"]),
            )
            for w in calendar.work_weeks or []
        )
        return EngineCalendar(
            name=calendar.name,
            week=week if week or base is None else None,
            exceptions=exceptions,
            work_weeks=work_weeks,
            base=base,
            holidays=calendar.holidays or None,
            covered_years=frozenset(int(y) for y in calendar.covered_years or []),
        )
    except EngineError as exc:
        raise ScheduleError(
            _("%(where)s: %(problem)s")
            % {"where": f"Calendar UID {calendar.uid}", "problem": engine_message(exc)}
        ) from None


@lru_cache(maxsize=64)
def _axis(calendar: WorkingCalendar, origin: dt.datetime) -> CalendarAxis:
    """Axes are immutable and costly with a holiday source (~0.2 s): reuse them per process."""
    return CalendarAxis(
        calendar=calendar,
        origin=origin,
        days_before=AXIS_DAYS_BEFORE,
        days_after=AXIS_DAYS_AFTER,
    )


@dataclass(frozen=True, slots=True)
class _TaskCalendars:
    """The axes tasks are scheduled on: 0 is the project calendar's."""

    axes: list[CalendarAxis]
    task: list[int]  # per task: the calendar it is scheduled on
    lag: list[int]  # per task: the calendar lags of links into it are counted on

    @property
    def stack(self) -> CalendarStack | None:
        return CalendarStack(axes=tuple(self.axes)) if len(self.axes) > 1 else None


def _task_calendars(
    plan: Plan, tasks: Sequence[Task], axis: CalendarAxis, origin: dt.datetime
) -> _TaskCalendars:
    """Each task's effective calendar, Microsoft Project's rules.

    An elapsed duration runs on 24 hours. Otherwise the calendars of the
    work resources assigned to it (the task is worked whenever one of them
    works: their union), in common with the task calendar when it has one
    (intersection); only the task calendar when it ignores resource
    calendars; the project calendar when it has neither.
    A link's lag is counted on the successor's task calendar, else on the
    project calendar -- never on a resource calendar (Microsoft Knowledge Base
    Q159773, "Project Lag Uses Base Calendar Instead of Resource Calendar").
    Calendars with the project calendar's working time share its axis, so
    such plans stay on the one-calendar fast path.
    """
    stored = {c.pk: c for c in plan.calendars.all()}
    engine: dict[int, EngineCalendar] = {}

    def of(pk: int) -> EngineCalendar:
        if pk not in engine:
            engine[pk] = engine_calendar(stored[pk])
        return engine[pk]

    resources: dict[int, list[int]] = {}
    for task_id, cal_id in Assignment.objects.filter(
        task__plan=plan, resource__calendar__isnull=False
    ).values_list("task_id", "resource__calendar_id"):
        if cal_id not in resources.setdefault(task_id, []):
            resources[task_id].append(cal_id)
    axes = [axis]
    placed: dict[object, int] = {None: 0}

    def place(key: object, make: Any, label: str) -> int:
        if key not in placed:
            try:
                ax = _axis(make(), origin)
            except EngineError as exc:
                raise ScheduleError(
                    _("%(where)s: %(problem)s") % {"where": label, "problem": engine_message(exc)}
                ) from None
            same = [k for k, other in enumerate(axes) if other.same_working_time(ax)]
            if not same:
                axes.append(ax)
            placed[key] = same[0] if same else len(axes) - 1
        return placed[key]

    def effective(t: Task) -> tuple[object, Any]:
        if t.elapsed:
            return "24h", around_the_clock
        own = t.calendar_id
        by = [] if t.ignore_resource_calendar else sorted(resources.get(t.pk, []))
        if not by:
            return own, (lambda: of(own)) if own is not None else None

        def make() -> WorkingCalendar:
            parts = [of(pk) for pk in by]
            res: EngineCalendar | CombinedCalendar = parts[0]
            if len(parts) > 1:
                name = " | ".join(p.name for p in parts)
                res = CombinedCalendar(name=name, parts=tuple(parts), mode="any")
            if own is None:
                return res
            task_cal = of(own)
            name = f"{task_cal.name} & {res.name}"
            return CombinedCalendar(name=name, parts=(task_cal, res), mode="all")

        return (own, tuple(by)), make

    task_index, lag_index = [], []
    for t in tasks:
        key, make = effective(t)
        label = f"Task UID {t.uid}"  # the engine's message names the calendar
        task_index.append(0 if make is None else place(key, make, label))
        own = t.calendar_id
        lag_index.append(0 if own is None else place(own, lambda own=own: of(own), label))
    return _TaskCalendars(axes=axes, task=task_index, lag=lag_index)


def working_offsets(plan: Plan, values: Sequence[dt.datetime]) -> list[int]:
    """Working-time offsets of wall-clock datetimes on the plan's calendar.

    Two datetimes with the same offset are the same working instant (Friday
    17:00 and Monday 08:00 on a standard calendar).
    """
    origin = from_db(plan.start)
    assert origin is not None
    axis = _axis(engine_calendar(plan.calendar), origin)
    return [int(v) for v in axis.offsets(list(values))]

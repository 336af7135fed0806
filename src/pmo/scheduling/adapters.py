"""Database rows <-> engine dataclasses. The only module of the app that imports the engine."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pmo.core.errors import DomainError
from pmo.engine.calendars import Calendar as EngineCalendar
from pmo.engine.calendars import (
    CalendarAxis,
    CalendarException,
    WorkWeek,
    standard_calendar,
)
from pmo.engine.cpm import ConstraintType, LinkType, schedule
from pmo.engine.cpm import Link as EngineLink
from pmo.engine.cpm import Project as EngineProject
from pmo.engine.cpm import Task as EngineTask
from pmo.engine.errors import CycleError, EngineError
from pmo.scheduling.models import Calendar, Link, Plan, Task
from pmo.scheduling.planio import percent_lag
from pmo.scheduling.walltime import from_db, to_db

__all__ = [
    "AXIS_DAYS_AFTER",
    "AXIS_DAYS_BEFORE",
    "Computed",
    "ScheduleError",
    "compute",
    "engine_calendar",
    "working_offsets",
]

AXIS_DAYS_BEFORE = 366
AXIS_DAYS_AFTER = 3660


class ScheduleError(DomainError):
    """The plan cannot be scheduled (cycle, bad constraint, date outside the horizon)."""

    status_code = 422


def engine_calendar(calendar: Calendar | None, seen: tuple[int, ...] = ()) -> EngineCalendar:
    """The engine calendar of a stored calendar (Standard when there is none)."""
    if calendar is None:
        return standard_calendar()
    if calendar.pk in seen:
        raise ScheduleError(f"Calendar UID {calendar.uid}: base calendars form a cycle")
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
        raise ScheduleError(f"Calendar UID {calendar.uid}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Computed:
    """What a recomputation produced, ready to be written back."""

    finish: dt.datetime
    assumed_years: tuple[int, ...]
    fields: list[dict[str, Any]]  # per task, in the order given


def _offset(axis: CalendarAxis, value: dt.datetime | None, label: str) -> int | None:
    if value is None:
        return None
    try:
        return axis.offset(from_db(value))  # type: ignore[arg-type]
    except EngineError:
        raise ScheduleError(
            f"{label}: {from_db(value):%Y-%m-%d %H:%M} is outside the plan's horizon "
            f"({AXIS_DAYS_BEFORE} days before to {AXIS_DAYS_AFTER} days after the start)"
        ) from None


def _named(message: str, tasks: Sequence[Task], links: Sequence[Link]) -> str:
    """An engine message with task and link indices replaced by UIDs."""
    uid = {t.pk: t.uid for t in tasks}

    def task(m: re.Match[str]) -> str:
        k = int(m[1])
        return f"Task UID {tasks[k].uid}" if k < len(tasks) else m[0]

    def link(m: re.Match[str]) -> str:
        k = int(m[1])
        if k >= len(links):
            return m[0]
        return f"Link UID {uid[links[k].pred_id]} -> UID {uid[links[k].succ_id]}"

    return re.sub(r"\blink (\d+)\b", link, re.sub(r"\btask (\d+)\b", task, message))


@lru_cache(maxsize=64)
def _axis(calendar: EngineCalendar, origin: dt.datetime) -> CalendarAxis:
    """Axes are immutable and costly with a holiday source (~0.2 s): reuse them per process."""
    return CalendarAxis(
        calendar=calendar,
        origin=origin,
        days_before=AXIS_DAYS_BEFORE,
        days_after=AXIS_DAYS_AFTER,
    )


def _lag(plan: Plan, link: Link, pred: Task) -> int:
    """The link's lag; a percentage lag follows the predecessor's current duration."""
    if link.lag_percent is None:
        return link.lag
    return percent_lag(
        link.lag_percent,
        pred.duration,
        elapsed=link.elapsed,
        minutes_per_day=plan.minutes_per_day,
    )


def compute(plan: Plan, tasks: Sequence[Task], links: Sequence[Link]) -> Computed:
    """Schedule ``tasks`` (WBS order) and ``links`` of ``plan`` on its calendar."""
    origin = from_db(plan.start)
    assert origin is not None
    try:
        axis = _axis(engine_calendar(plan.calendar), origin)
    except EngineError as exc:
        raise ScheduleError(f"project calendar: {exc}") from None
    index = {t.pk: k for k, t in enumerate(tasks)}
    engine_tasks = []
    for t in tasks:
        label = f"Task UID {t.uid}"
        kind = ConstraintType(t.constraint)
        ctime = _offset(axis, t.constraint_date, f"{label}: constraint date")
        if ctime is None and kind not in (ConstraintType.ASAP, ConstraintType.ALAP):
            kind = ConstraintType.ASAP
        try:
            engine_tasks.append(
                EngineTask(
                    name=label,
                    duration=t.duration,
                    parent=index.get(t.parent_id) if t.parent_id else None,
                    constraint=kind,
                    constraint_time=ctime,
                    actual_start=_offset(axis, t.actual_start, f"{label}: actual start"),
                    actual_finish=_offset(axis, t.actual_finish, f"{label}: actual finish"),
                    remaining=t.remaining,
                    percent_complete=(t.percent_complete or None) if t.actual_start else None,
                )
            )
        except EngineError as exc:
            raise ScheduleError(str(exc)) from None
    engine_links = tuple(
        EngineLink(
            pred=index[link.pred_id],
            succ=index[link.succ_id],
            type=LinkType(link.type),
            lag=_lag(plan, link, tasks[index[link.pred_id]]),
            elapsed=link.elapsed,
        )
        for link in links
    )
    status = _offset(axis, plan.status_date, "status date")
    if status is None:
        for t in tasks:
            if t.actual_start is not None and t.actual_finish is None and not t.summary:
                raise ScheduleError(
                    f"Task UID {t.uid}: in progress (actual start, no actual finish), so the "
                    "plan needs a status date"
                )
    try:
        result = schedule(
            EngineProject(tasks=tuple(engine_tasks), links=engine_links, status_date=status),
            axis=axis,
        )
    except CycleError as exc:
        names = " -> ".join(f"UID {tasks[int(k)].uid}" for k in exc.cycle)
        raise ScheduleError(f"the links form a cycle: {names}") from None
    except EngineError as exc:
        raise ScheduleError(_named(str(exc), tasks, links)) from None
    fields = []
    for got in result.tasks:
        start, finish = axis.task_datetimes(got.start, got.finish)
        es, ef = axis.task_datetimes(got.early_start, got.early_finish)
        ls, lf = axis.task_datetimes(got.late_start, got.late_finish)
        fields.append(
            {
                "start": to_db(start),
                "finish": to_db(finish),
                "early_start": to_db(es),
                "early_finish": to_db(ef),
                "late_start": to_db(ls),
                "late_finish": to_db(lf),
                "total_float": got.total_float,
                "free_float": got.free_float,
                "critical": got.critical,
                "percent_complete": round(got.percent_complete, 1),
            }
        )
    finish = axis.finish_datetime(result.finish) if tasks else origin
    return Computed(
        finish=finish,
        assumed_years=axis.assumed_years(result.start, result.finish) if tasks else (),
        fields=fields,
    )


def working_offsets(plan: Plan, values: Sequence[dt.datetime]) -> list[int]:
    """Working-time offsets of wall-clock datetimes on the plan's calendar.

    Two datetimes with the same offset are the same working instant (Friday
    17:00 and Monday 08:00 on a standard calendar).
    """
    origin = from_db(plan.start)
    assert origin is not None
    axis = _axis(engine_calendar(plan.calendar), origin)
    return [int(v) for v in axis.offsets(list(values))]

"""Database rows <-> engine dataclasses. The only module of the app that imports the engine."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from pmo.core.errors import DomainError
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
)
from pmo.engine.cpm import ConstraintType, LinkType, schedule
from pmo.engine.cpm import Link as EngineLink
from pmo.engine.cpm import Project as EngineProject
from pmo.engine.cpm import Task as EngineTask
from pmo.engine.errors import CycleError, EngineError
from pmo.scheduling.models import Assignment, Calendar, Link, Plan, Task
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
    """The plan cannot be scheduled (cycle, bad constraint, date outside the horizon).

    The message names the task or link; ``errors`` carries it under the request's fields
    (``plan`` when no single field caused it, the edited fields after an edit, ``file`` for
    an import).
    """

    status_code = 422

    def __init__(self, message: str, *, fields: tuple[str, ...] = ("plan",)) -> None:
        super().__init__(message, errors=[{"field": f, "message": message} for f in fields])

    def blaming(self, *fields: str) -> ScheduleError:
        """The same error charged to ``fields`` (those a request changed)."""
        return ScheduleError(self.message, fields=fields or ("plan",))


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
            _(
                "%(what)s: %(when)s is outside the plan's horizon "
                "(%(before)s days before to %(after)s days after the start)"
            )
            % {
                "what": label,
                "when": f"{from_db(value):%Y-%m-%d %H:%M}",
                "before": AXIS_DAYS_BEFORE,
                "after": AXIS_DAYS_AFTER,
            }
        ) from None


def _beyond(what: str) -> str:
    return _(
        "%(what)s: scheduled outside the plan's horizon (%(before)s days before to "
        "%(after)s days after the start); is a duration or a lag far too long?"
    ) % {"what": what, "before": AXIS_DAYS_BEFORE, "after": AXIS_DAYS_AFTER}


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
def _axis(calendar: WorkingCalendar, origin: dt.datetime) -> CalendarAxis:
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
                raise ScheduleError(f"{label}: {exc}") from None
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
        label = f"Task UID {t.uid}: calendar"
        task_index.append(0 if make is None else place(key, make, label))
        own = t.calendar_id
        lag_index.append(0 if own is None else place(own, lambda own=own: of(own), label))
    return _TaskCalendars(axes=axes, task=task_index, lag=lag_index)


def _roll_up(tasks: Sequence[Task], fields: list[dict[str, Any]]) -> None:
    """Summary dates as the earliest start and latest finish of their leaves (datetimes)."""
    index = {t.pk: k for k, t in enumerate(tasks)}
    starts, finishes = (
        ("start", "early_start", "late_start"),
        ("finish", "early_finish", "late_finish"),
    )
    rolled: dict[int, dict[str, Any]] = {}
    for k in range(len(tasks) - 1, -1, -1):
        t = tasks[k]
        mine = rolled.get(k) if t.summary else fields[k]
        if t.summary and mine is not None:
            fields[k].update(mine)
        parent = index.get(t.parent_id) if t.parent_id else None
        if parent is None or mine is None:
            continue
        up = rolled.setdefault(parent, {})
        for key in starts:
            up[key] = mine[key] if key not in up else min(up[key], mine[key])
        for key in finishes:
            up[key] = mine[key] if key not in up else max(up[key], mine[key])


def compute(plan: Plan, tasks: Sequence[Task], links: Sequence[Link]) -> Computed:
    """Schedule ``tasks`` (WBS order) and ``links`` of ``plan``, each task on its calendar."""
    origin = from_db(plan.start)
    assert origin is not None
    try:
        axis = _axis(engine_calendar(plan.calendar), origin)
    except EngineError as exc:
        raise ScheduleError(f"project calendar: {exc}") from None
    cals = _task_calendars(plan, tasks, axis, origin)
    stack = cals.stack
    index = {t.pk: k for k, t in enumerate(tasks)}
    engine_tasks = []
    for k, t in enumerate(tasks):
        label = f"Task UID {t.uid}"
        kind = ConstraintType(t.constraint)
        own = cals.axes[cals.task[k]]
        ctime = _offset(own, t.constraint_date, _("%(task)s: constraint date") % {"task": label})
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
                    actual_start=_offset(
                        own, t.actual_start, _("%(task)s: actual start") % {"task": label}
                    ),
                    actual_finish=_offset(
                        own, t.actual_finish, _("%(task)s: actual finish") % {"task": label}
                    ),
                    remaining=t.remaining,
                    percent_complete=(t.percent_complete or None) if t.actual_start else None,
                    calendar=cals.task[k] or None,
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
            calendar=cals.lag[index[link.succ_id]] or None,
        )
        for link in links
    )
    status = _offset(axis, plan.status_date, _("status date"))
    if status is None:
        for t in tasks:
            if t.actual_start is not None and t.actual_finish is None and not t.summary:
                raise ScheduleError(
                    _(
                        "Task UID %(uid)s: in progress (actual start, no actual finish), so the "
                        "plan needs a status date"
                    )
                    % {"uid": t.uid}
                )
    try:
        result = schedule(
            EngineProject(tasks=tuple(engine_tasks), links=engine_links, status_date=status),
            axis=axis,
            calendars=stack,
        )
    except CycleError as exc:
        names = " -> ".join(f"UID {tasks[int(k)].uid}" for k in exc.cycle)
        raise ScheduleError(_("the links form a cycle: %(cycle)s") % {"cycle": names}) from None
    except EngineError as exc:
        raise ScheduleError(_named(str(exc), tasks, links)) from None
    fields: list[dict[str, Any]] = []
    for k, got in enumerate(result.tasks):
        own = cals.axes[cals.task[k]]
        try:
            start, finish = own.task_datetimes(got.start, got.finish)
            es, ef = own.task_datetimes(got.early_start, got.early_finish)
            ls, lf = own.task_datetimes(got.late_start, got.late_finish)
        except EngineError:
            raise ScheduleError(_beyond(f"Task UID {tasks[k].uid}")) from None
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
    if stack is None:
        try:
            finish = axis.finish_datetime(result.finish) if tasks else origin
        except EngineError:
            raise ScheduleError(_beyond(_("the plan"))) from None
        return Computed(
            finish=finish,
            assumed_years=axis.assumed_years(result.start, result.finish) if tasks else (),
            fields=fields,
        )
    # several calendars: summaries and the plan span their leaves' instants
    _roll_up(tasks, fields)
    leaves = [f for f, t in zip(fields, tasks, strict=True) if not t.summary]
    first: dt.datetime = min(f["start"] for f in leaves)
    last: dt.datetime = max(f["early_finish"] for f in leaves)
    plan_finish = from_db(last)
    assert plan_finish is not None
    years: set[int] = set()
    for ax in cals.axes:
        years.update(ax.calendar.unknown_years(first.date(), last.date()))
    return Computed(finish=plan_finish, assumed_years=tuple(sorted(years)), fields=fields)


def working_offsets(plan: Plan, values: Sequence[dt.datetime]) -> list[int]:
    """Working-time offsets of wall-clock datetimes on the plan's calendar.

    Two datetimes with the same offset are the same working instant (Friday
    17:00 and Monday 08:00 on a standard calendar).
    """
    origin = from_db(plan.start)
    assert origin is not None
    axis = _axis(engine_calendar(plan.calendar), origin)
    return [int(v) for v in axis.offsets(list(values))]

"""A plan's tasks and links scheduled by the engine's critical path method, and back.

Part of :mod:`pmo.scheduling.adapters`: tasks and links become the engine's project (dates as
working-time offsets on each task's calendar, see :mod:`.calendars`); its result becomes the
dates, floats and criticality written back to the tasks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pmo.engine.calendars import CalendarAxis
from pmo.engine.cpm import ConstraintType, LinkType, schedule
from pmo.engine.cpm import Link as EngineLink
from pmo.engine.cpm import Project as EngineProject
from pmo.engine.cpm import Task as EngineTask
from pmo.engine.errors import CycleError, EngineError
from pmo.scheduling.adapters.calendars import (
    _axis,
    _task_calendars,
    engine_calendar,
    horizon_days,
)
from pmo.scheduling.adapters.errors import ScheduleError, engine_message
from pmo.scheduling.models import Link, Plan, Task
from pmo.scheduling.planio import percent_lag
from pmo.scheduling.walltime import from_db, to_db

__all__ = ["Computed", "compute"]


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
                **horizon_days(),
            }
        ) from None


def _beyond(what: str) -> str:
    return _(
        "%(what)s: scheduled outside the plan's horizon (%(before)s days before to "
        "%(after)s days after the start); is a duration or a lag far too long?"
    ) % {"what": what, **horizon_days()}


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
        raise ScheduleError(
            _("%(where)s: %(problem)s")
            % {"where": _("project calendar"), "problem": engine_message(exc)}
        ) from None
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
                    # under way: as stored, 0 % stays 0 % (the engine would derive it
                    # from the status date, which Microsoft Project does only when asked);
                    # finished: 100 % (the engine's), whatever an imported file said
                    percent_complete=t.percent_complete
                    if t.actual_start and not t.actual_finish
                    else None,
                    calendar=cals.task[k] or None,
                )
            )
        except EngineError as exc:
            raise ScheduleError(engine_message(exc)) from None
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
        raise ScheduleError(_named(engine_message(exc), tasks, links)) from None
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

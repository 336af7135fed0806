"""Schedule a :class:`~pmo.engine.cpm.model.Project` with the array core.

Constraints and actuals become per-task bounds of the array passes (earliest
start, fixed start, latest finish; :mod:`pmo.engine.cpm.inputs`), so the rich
model runs on the same vectorised code as the benchmark. Summary tasks are
rolled up afterwards.
"""

from __future__ import annotations

import numpy as np

from pmo.engine.cpm.alap import place_alap
from pmo.engine.cpm.inputs import (
    Clock,
    apply_summary_constraints,
    expand_links,
    summary_leaves,
    task_bounds,
    wbs_depths,
)
from pmo.engine.cpm.model import ConstraintType, Project, Schedule, TaskSchedule
from pmo.engine.cpm.network import ElapsedAxis, IntArray, Network, TaskCalendars
from pmo.engine.cpm.passes import Method, cpm_arrays
from pmo.engine.errors import InvalidInputError

__all__ = ["schedule"]


def schedule(
    project: Project,
    *,
    near_critical_threshold: int = 0,
    axis: ElapsedAxis | None = None,
    calendars: TaskCalendars | None = None,
    method: Method = "auto",
) -> Schedule:
    """Compute early/late dates, floats and the critical path of a project.

    Parameters
    ----------
    project : Project
        Tasks, links, constraints and actuals (working-time offsets).
    near_critical_threshold : int
        Tasks with ``0 < total float <= threshold`` are near-critical.
    axis : ElapsedAxis, optional
        Calendar axis converting elapsed lags (see
        :class:`pmo.engine.calendars.CalendarAxis`).
    calendars : TaskCalendars, optional
        The calendars ``Task.calendar`` and ``Link.calendar`` refer to, 0 being
        the project calendar (see :class:`pmo.engine.calendars.CalendarStack`);
        needed when a task or a lag names another calendar. Tasks of one
        calendar, linked with lags on that calendar, stay on the integer path.
    method : {"auto", "levels", "loop"}
        Implementation of the passes (see :func:`~pmo.engine.cpm.cpm_arrays`).

    Returns
    -------
    Schedule

    Raises
    ------
    CycleError
        The links form a cycle (``.cycle`` lists the task indices).
    InvalidInputError
        Malformed input, e.g. an in-progress task without a status date.

    Examples
    --------
    >>> from pmo.engine.cpm import Link, Project, Task
    >>> p = Project(
    ...     tasks=(Task(name="A", duration=3), Task(name="B", duration=2), Task(duration=4)),
    ...     links=(Link(pred=0, succ=1), Link(pred=0, succ=2)),
    ... )
    >>> s = schedule(p)
    >>> [(t.early_start, t.total_float) for t in s.tasks], s.critical, s.finish
    ([(0, 0), (3, 2), (3, 0)], (0, 2), 7)
    """
    if near_critical_threshold < 0:
        raise InvalidInputError("near_critical_threshold: must be >= 0")
    tasks = project.tasks
    n = len(tasks)
    depth = wbs_depths(project)
    summary = [False] * n
    for t in tasks:
        if t.parent is not None:
            summary[t.parent] = True
    leaves = summary_leaves(project, summary)
    pred, succ, kind, lag, elapsed, lag_cal = expand_links(project, summary, leaves)
    cal = np.array([t.calendar or 0 for t in tasks], dtype=np.int64)
    calendared = bool(cal.any()) or any(c and g for c, g in zip(lag_cal, lag, strict=True))
    if calendared and calendars is None:
        raise InvalidInputError("tasks or lags name calendars: pass calendars=...")
    if calendared and calendars is not None:
        top = max(int(cal.max()), max(lag_cal, default=0))
        if top >= len(calendars):
            raise InvalidInputError(f"calendar {top}: out of range 0..{len(calendars) - 1}")
    clock = Clock(calendars if calendared else None, cal)
    statuses = None
    if project.status_date is not None:
        # the status date is read as the end of the project calendar's working period
        statuses = clock.convert(0, project.status_date, True, list(range(n)))
    b = task_bounds(project, summary, statuses)
    apply_summary_constraints(project, summary, leaves, b.floor, b.cap, clock)

    net = Network(
        duration=b.duration,
        pred=np.array(pred, dtype=np.int64),
        succ=np.array(succ, dtype=np.int64),
        link_type=np.array(kind, dtype=np.int64),
        lag=np.array(lag, dtype=np.int64),
        elapsed=np.array(elapsed, dtype=np.bool_),
        calendar=cal if calendared else None,
        lag_calendar=np.array(lag_cal, dtype=np.int64) if calendared else None,
    )
    r = cpm_arrays(
        net,
        start_floor=b.floor,
        fixed_start=b.fixed,
        finish_cap=b.cap,
        project_finish=project.finish,
        axis=axis,
        calendars=calendars if calendared else None,
        method=method,
    )
    done, percent = b.done, b.percent
    cols: dict[str, IntArray] = {
        "es": r.early_start.copy(),
        "ef": r.early_finish.copy(),
        "ls": r.late_start.copy(),
        "lf": r.late_finish.copy(),
        "tf": r.total_float.copy(),
        "ff": r.free_float.copy(),
    }
    alap = np.array(
        [
            not done[i]
            and not summary[i]
            and tasks[i].constraint is ConstraintType.ALAP
            and tasks[i].actual_start is None
            for i in range(n)
        ],
        dtype=np.bool_,
    )
    start, cols["ff"] = place_alap(
        net,
        early_start=r.early_start,
        latest_finish=np.minimum(b.cap, r.project_finish),
        free_float=cols["ff"],
        project_finish=r.project_finish,
        alap=alap,
        axis=axis,
    )
    finish = start + b.duration
    weight = [float(tasks[i].duration) if not summary[i] else 0.0 for i in range(n)]
    wsum = [w * p for w, p in zip(weight, percent, strict=True)]
    count = [0.0 if summary[i] else 1.0 for i in range(n)]
    psum = [0.0 if summary[i] else percent[i] for i in range(n)]
    big = np.iinfo(np.int64)
    leaf = np.array([not x for x in summary], dtype=np.bool_)
    saved = ({k: v.copy() for k, v in cols.items()}, start.copy(), finish.copy())
    cals = calendars if calendared else None
    if cals is not None and leaf.any():
        # roll summaries up on the common clock, not in the leaves' different units
        li = np.flatnonzero(leaf)
        for key, fin in (("es", False), ("ls", False), ("ef", True), ("lf", True)):
            cols[key][li] = cals.minute_of(cal[li], cols[key][li], fin)
        start[li] = cals.minute_of(cal[li], start[li], False)
        finish[li] = cals.minute_of(cal[li], finish[li], True)
    for i in range(n):
        if summary[i]:
            for key in ("es", "ls"):
                cols[key][i] = big.max
            for key in ("ef", "lf"):
                cols[key][i] = big.min
            cols["ff"][i] = big.max
            start[i], finish[i] = big.max, big.min
    for i in sorted(range(n), key=lambda k: -depth[k]):
        par = tasks[i].parent
        if par is None:
            continue
        for key in ("es", "ls", "ff"):
            cols[key][par] = min(cols[key][par], cols[key][i])
        for key in ("ef", "lf"):
            cols[key][par] = max(cols[key][par], cols[key][i])
        start[par] = min(start[par], start[i])
        finish[par] = max(finish[par], finish[i])
        weight[par] += weight[i]
        wsum[par] += wsum[i]
        count[par] += count[i]
        psum[par] += psum[i]
    first_start = r.project_finish
    if cals is not None and leaf.any():
        zero = np.zeros(1, dtype=np.int64)
        first_start = int(cals.work_before(zero, start[leaf].min(keepdims=True))[0])
        si = np.flatnonzero(~leaf)
        for key in ("es", "ls", "ef", "lf"):
            cols[key][si] = cals.work_before(cal[si], cols[key][si])
            cols[key][leaf] = saved[0][key][leaf]
        start[si] = cals.work_before(cal[si], start[si])
        finish[si] = cals.work_before(cal[si], finish[si])
        start[leaf], finish[leaf] = saved[1][leaf], saved[2][leaf]
    elif leaf.any():
        first_start = int(start[leaf].min())
    out: list[TaskSchedule] = []
    for i in range(n):
        if summary[i]:
            cols["tf"][i] = cols["lf"][i] - cols["ef"][i]
            pc = wsum[i] / weight[i] if weight[i] else psum[i] / max(count[i], 1.0)
        else:
            pc = percent[i]
        tf = int(cols["tf"][i])
        active = not summary[i] and not done[i]
        out.append(
            TaskSchedule(
                index=i,
                start=int(start[i]),
                finish=int(finish[i]),
                early_start=int(cols["es"][i]),
                early_finish=int(cols["ef"][i]),
                late_start=int(cols["ls"][i]),
                late_finish=int(cols["lf"][i]),
                total_float=tf,
                free_float=int(cols["ff"][i]),
                critical=active and tf <= 0,
                near_critical=active and 0 < tf <= near_critical_threshold,
                summary=summary[i],
                percent_complete=round(pc, 6),
            )
        )
    return Schedule(
        tasks=tuple(out),
        start=first_start if leaf.any() else 0,
        finish=r.project_finish,
        critical=tuple(o.index for o in out if o.critical),
        near_critical=tuple(o.index for o in out if o.near_critical),
        negative_float=tuple(o.index for o in out if not o.summary and o.total_float < 0),
    )

"""Schedule a :class:`~pmo.engine.cpm.model.Project` with the array core.

Constraints and actuals become per-task bounds of the array passes (earliest
start, fixed start, latest finish), so the rich model runs on the same
vectorised code as the benchmark. Summary tasks are rolled up afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pmo.engine.cpm.alap import place_alap
from pmo.engine.cpm.model import ConstraintType, LinkType, Project, Schedule, TaskSchedule
from pmo.engine.cpm.network import (
    FF,
    FS,
    NO_CAP,
    NO_TIME,
    SF,
    SS,
    ElapsedAxis,
    IntArray,
    Network,
    TaskCalendars,
)
from pmo.engine.cpm.passes import Method, cpm_arrays
from pmo.engine.errors import InvalidInputError

__all__ = ["schedule"]

_CODE = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}


def _depths(project: Project) -> list[int]:
    depth: list[int] = [-1] * len(project.tasks)
    for i in range(len(project.tasks)):
        chain: list[int] = []
        node: int | None = i
        while node is not None and depth[node] < 0:
            if node in chain:
                raise InvalidInputError(f"task {node}: the WBS parents form a loop")
            chain.append(node)
            node = project.tasks[node].parent
        base = -1 if node is None else depth[node]
        for k, t in enumerate(reversed(chain)):
            depth[t] = base + 1 + k
    return depth


def _leaves(project: Project, summary: list[bool]) -> dict[int, list[int]]:
    leaves: dict[int, list[int]] = {}
    for i, task in enumerate(project.tasks):
        if summary[i]:
            continue
        node = task.parent
        while node is not None:
            leaves.setdefault(node, []).append(i)
            node = project.tasks[node].parent
    return leaves


def _expand_links(
    project: Project, summary: list[bool], leaves: dict[int, list[int]]
) -> tuple[list[int], list[int], list[int], list[int], list[bool], list[int]]:
    """Replace links to and from summary tasks by links to their leaf tasks.

    A summary starts with its first leaf and finishes with its last, so a link
    into a summary's start (FS, SS) binds every leaf's start, and a link out
    of a summary's finish (FS, FF) is bound by every leaf's finish. The other
    combinations are not conjunctions of leaf links and are refused.
    """
    pred: list[int] = []
    succ: list[int] = []
    kind: list[int] = []
    lag: list[int] = []
    elapsed: list[bool] = []
    lag_cal: list[int] = []
    for k, link in enumerate(project.links):
        if summary[link.pred] and link.type not in (LinkType.FS, LinkType.FF):
            raise InvalidInputError(f"link {k}: a {link.type} link cannot leave a summary task")
        if summary[link.succ] and link.type not in (LinkType.FS, LinkType.SS):
            raise InvalidInputError(f"link {k}: a {link.type} link cannot enter a summary task")
        ps = leaves.get(link.pred, []) if summary[link.pred] else [link.pred]
        ss = leaves.get(link.succ, []) if summary[link.succ] else [link.succ]
        for p in ps:
            for s in ss:
                pred.append(p)
                succ.append(s)
                kind.append(_CODE[link.type])
                lag.append(link.lag)
                elapsed.append(link.elapsed)
                lag_cal.append(link.calendar or 0)
    return pred, succ, kind, lag, elapsed, lag_cal


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class _Bounds:
    """Per-task inputs of the array passes derived from constraints and actuals."""

    duration: IntArray
    floor: IntArray
    fixed: IntArray
    cap: IntArray
    percent: list[float]
    done: list[bool]


def _bounds(project: Project, summary: list[bool], statuses: list[int] | None) -> _Bounds:
    """Turn durations, constraints, actuals and the status date into bounds.

    ``statuses`` is the status date on each task's calendar. See the table in
    ``docs/decisions/engine-cpm.md``.
    """
    tasks = project.tasks
    n = len(tasks)
    duration = np.zeros(n, dtype=np.int64)
    floor = np.zeros(n, dtype=np.int64)
    fixed = np.full(n, NO_TIME, dtype=np.int64)
    cap = np.full(n, NO_CAP, dtype=np.int64)
    percent = [0.0] * n
    done = [False] * n
    for i, t in enumerate(tasks):
        if summary[i]:
            continue
        status = None if statuses is None else statuses[i]
        d = t.duration
        if t.actual_start is not None and t.actual_finish is not None:
            done[i] = True
            fixed[i], duration[i], cap[i] = (
                t.actual_start,
                t.actual_finish - t.actual_start,
                t.actual_finish,
            )
            percent[i] = 100.0 if t.percent_complete is None else t.percent_complete
            continue
        if t.actual_start is not None:
            if status is None:
                raise InvalidInputError(
                    f"task {i}: in progress, so the project needs a status_date"
                )
            worked = max(status - t.actual_start, 0)
            rem = t.remaining if t.remaining is not None else max(d - worked, 0)
            fixed[i], duration[i] = t.actual_start, worked + rem
            if t.percent_complete is not None:
                percent[i] = t.percent_complete
            elif worked + rem:
                percent[i] = 100.0 * worked / (worked + rem)
            continue
        duration[i] = d
        floor[i] = max(status or 0, 0)
        percent[i] = t.percent_complete or 0.0
        c, ct = t.constraint, t.constraint_time
        if ct is None:
            continue
        if c is ConstraintType.SNET:
            floor[i] = max(floor[i], ct)
        elif c is ConstraintType.FNET:
            floor[i] = max(floor[i], ct - d)
        elif c is ConstraintType.SNLT:
            cap[i] = ct + d
        elif c is ConstraintType.FNLT:
            cap[i] = ct
        elif c is ConstraintType.MSO:
            fixed[i], cap[i] = ct, ct + d
        elif c is ConstraintType.MFO:
            fixed[i], cap[i] = ct - d, ct
    return _Bounds(duration=duration, floor=floor, fixed=fixed, cap=cap, percent=percent, done=done)


class _Clock:
    """Conversions between the tasks' calendars (identity with one calendar)."""

    def __init__(self, cals: TaskCalendars | None, cal: IntArray) -> None:
        self.cals, self.cal = cals, cal

    def convert(self, src: int, value: int, finish: bool, dst: list[int]) -> list[int]:
        """``value`` of task ``src``'s calendar as the same instant on tasks ``dst``'s."""
        if self.cals is None:
            return [value] * len(dst)
        at = self.cals.minute_of(self.cal[[src]], np.array([value], dtype=np.int64), finish)
        target = self.cal[dst]
        return [int(v) for v in self.cals.work_before(target, np.repeat(at, len(dst)))]


def _summary_constraints(
    project: Project,
    summary: list[bool],
    leaves: dict[int, list[int]],
    floor: IntArray,
    cap: IntArray,
    clock: _Clock,
) -> None:
    """Apply SNET and FNLT of summary tasks to their leaves (the others are refused).

    A summary starts with its earliest leaf and finishes with its latest, so
    "start no earlier than" and "finish no later than" bind every leaf; the
    other constraint types do not split into leaf constraints.
    """
    for i, t in enumerate(project.tasks):
        ct = t.constraint_time
        if not summary[i] or ct is None or t.constraint is ConstraintType.ALAP:
            continue
        below = leaves.get(i, [])
        if t.constraint is ConstraintType.SNET:
            for leaf, at in zip(below, clock.convert(i, ct, False, below), strict=True):
                floor[leaf] = max(int(floor[leaf]), at)
        elif t.constraint is ConstraintType.FNLT:
            for leaf, at in zip(below, clock.convert(i, ct, True, below), strict=True):
                cap[leaf] = min(int(cap[leaf]), at)
        else:
            raise InvalidInputError(
                f"task {i}: a summary task takes only SNET or FNLT, not {t.constraint}"
            )


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
    depth = _depths(project)
    summary = [False] * n
    for t in tasks:
        if t.parent is not None:
            summary[t.parent] = True
    leaves = _leaves(project, summary)
    pred, succ, kind, lag, elapsed, lag_cal = _expand_links(project, summary, leaves)
    cal = np.array([t.calendar or 0 for t in tasks], dtype=np.int64)
    calendared = bool(cal.any()) or any(c and g for c, g in zip(lag_cal, lag, strict=True))
    if calendared and calendars is None:
        raise InvalidInputError("tasks or lags name calendars: pass calendars=...")
    if calendared and calendars is not None:
        top = max(int(cal.max()), max(lag_cal, default=0))
        if top >= len(calendars):
            raise InvalidInputError(f"calendar {top}: out of range 0..{len(calendars) - 1}")
    clock = _Clock(calendars if calendared else None, cal)
    statuses = None
    if project.status_date is not None:
        # the status date is read as the end of the project calendar's working period
        statuses = clock.convert(0, project.status_date, True, list(range(n)))
    b = _bounds(project, summary, statuses)
    _summary_constraints(project, summary, leaves, b.floor, b.cap, clock)

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

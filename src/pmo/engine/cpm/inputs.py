"""The rich task model turned into the inputs of the array passes.

Summary tasks are resolved into their leaf tasks (links and the constraints a
summary can carry), constraints and actuals become per-task bounds (earliest
start, fixed start, latest finish), and :class:`Clock` converts instants
between the tasks' calendars. :func:`pmo.engine.cpm.schedule` runs the passes
on the result and rolls the summaries up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pmo.engine.cpm.model import ConstraintType, LinkType, Project
from pmo.engine.cpm.network import FF, FS, NO_CAP, NO_TIME, SF, SS, IntArray, TaskCalendars
from pmo.engine.errors import InvalidInputError

__all__ = [
    "Bounds",
    "Clock",
    "apply_summary_constraints",
    "expand_links",
    "summary_leaves",
    "task_bounds",
    "wbs_depths",
]

_CODE = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}


def wbs_depths(project: Project) -> list[int]:
    """Outline depth of every task (0 at the top); raise if the WBS parents form a loop."""
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


def summary_leaves(project: Project, summary: list[bool]) -> dict[int, list[int]]:
    """The leaf tasks below every summary task, by the summary's index."""
    leaves: dict[int, list[int]] = {}
    for i, task in enumerate(project.tasks):
        if summary[i]:
            continue
        node = task.parent
        while node is not None:
            leaves.setdefault(node, []).append(i)
            node = project.tasks[node].parent
    return leaves


def expand_links(
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
class Bounds:
    """Per-task inputs of the array passes derived from constraints and actuals."""

    duration: IntArray
    floor: IntArray
    fixed: IntArray
    cap: IntArray
    percent: list[float]
    done: list[bool]


def task_bounds(project: Project, summary: list[bool], statuses: list[int] | None) -> Bounds:
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
    return Bounds(duration=duration, floor=floor, fixed=fixed, cap=cap, percent=percent, done=done)


class Clock:
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


def apply_summary_constraints(
    project: Project,
    summary: list[bool],
    leaves: dict[int, list[int]],
    floor: IntArray,
    cap: IntArray,
    clock: Clock,
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

"""Array form of a precedence network and its topological levels.

The passes are in :mod:`pmo.engine.cpm.passes`. The network lives on one
integer axis of working time. Every link, whatever its type, is reduced to
a bound between the *starts* of its two tasks::

    ES[succ] >= ES[pred] + offset,  offset = a * d[pred] + lag - b * d[succ]

where ``a`` is 1 when the link leaves the predecessor's finish (FS, FF) and
``b`` is 1 when it reaches the successor's finish (FF, SF). The backward pass
uses the same offset (``LS[pred] <= LS[succ] - offset``), so both passes are
one gather, one add and one segmented max/min per topological level.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from pmo.engine.errors import CycleError, InvalidInputError

__all__ = [
    "FF",
    "FS",
    "NO_CAP",
    "NO_TIME",
    "SF",
    "SS",
    "ElapsedAxis",
    "Network",
    "Prepared",
    "TaskCalendars",
    "as_int_array",
    "prepare",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

FS, SS, FF, SF = 0, 1, 2, 3
"""Link type codes of the array form (finish-start, start-start, ...)."""

NO_TIME = int(np.iinfo(np.int64).min)
"""Sentinel of ``fixed_start`` for tasks whose start is not fixed."""

NO_CAP = int(np.iinfo(np.int64).max)
"""Sentinel of ``finish_cap`` for tasks without a latest finish."""


class ElapsedAxis(Protocol):
    """Converts elapsed (calendar-time) lags on the working-time axis.

    Implemented by :class:`pmo.engine.calendars.CalendarAxis`. ``from_finish``
    tells whether an anchor offset is a finish (the end of the previous
    working period) or a start (the beginning of the next one).
    """

    def shift(self, anchor: IntArray, lag: IntArray, from_finish: BoolArray) -> IntArray:
        """Earliest working offset at or after ``anchor`` + ``lag`` elapsed minutes."""
        ...

    def unshift(self, bound: IntArray, lag: IntArray, from_finish: BoolArray) -> IntArray:
        """Latest anchor whose :meth:`shift` is still ``<= bound``."""
        ...


class TaskCalendars(Protocol):
    """Working time of several calendars on one clock (per-task calendars).

    Implemented by :class:`pmo.engine.calendars.CalendarStack`. Calendar 0 is
    the project calendar. Minutes are absolute (elapsed) minutes on a clock
    common to all calendars; offsets are each calendar's working minutes
    from the project start.
    """

    def __len__(self) -> int:
        """Number of calendars."""
        ...

    def work_before(self, cal: IntArray, minute: IntArray) -> IntArray:
        """Offset of calendar ``cal`` at ``minute`` (working minutes before it)."""
        ...

    def minute_of(self, cal: IntArray, offset: IntArray, finish: bool | BoolArray) -> IntArray:
        """Minute of an offset, read as a finish (snapped back) or a start (forward)."""
        ...


def as_int_array(name: str, value: object, size: int | None = None) -> IntArray:
    """``value`` as a 1-d int64 array, or :class:`InvalidInputError` naming ``name``."""
    arr = np.asarray(value)
    if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
        raise InvalidInputError(f"{name}: expected a 1-d integer array")
    if size is not None and arr.size != size:
        raise InvalidInputError(f"{name}: expected {size} values, got {arr.size}")
    return arr.astype(np.int64, copy=False)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Network:
    """A precedence network as integer arrays (tasks ``0..n-1``, links ``0..m-1``).

    Parameters
    ----------
    duration : array of int, shape (n,)
        Working-time duration of each task (>= 0; 0 is a milestone).
    pred, succ : array of int, shape (m,)
        Predecessor and successor task of each link.
    link_type : array of int, shape (m,)
        :data:`FS`, :data:`SS`, :data:`FF` or :data:`SF`.
    lag : array of int, shape (m,)
        Lag in working time (negative is a lead), or in elapsed minutes where
        ``elapsed`` is true.
    elapsed : array of bool, shape (m,), optional
        Links whose lag is elapsed (calendar) time; needs an :class:`ElapsedAxis`
        (or :class:`TaskCalendars` when tasks have calendars).
    calendar : array of int, shape (n,), optional
        Calendar of each task (0, the default, is the project calendar): its
        duration and times are working minutes of that calendar. Needs
        :class:`TaskCalendars`.
    lag_calendar : array of int, shape (m,), optional
        Calendar on which each link's (non-elapsed) lag is counted (default 0).

    Examples
    --------
    >>> net = Network(duration=[3, 2], pred=[0], succ=[1], link_type=[FS], lag=[1])
    >>> net.n_tasks, net.n_links
    (2, 1)
    """

    duration: IntArray
    pred: IntArray
    succ: IntArray
    link_type: IntArray
    lag: IntArray
    elapsed: BoolArray | None = None
    calendar: IntArray | None = None
    lag_calendar: IntArray | None = None

    def __post_init__(self) -> None:
        duration = as_int_array("duration", self.duration)
        m = np.asarray(self.pred).size
        pred = as_int_array("pred", self.pred, m)
        succ = as_int_array("succ", self.succ, m)
        link_type = as_int_array("link_type", self.link_type, m)
        lag = as_int_array("lag", self.lag, m)
        n = duration.size
        if duration.size and duration.min() < 0:
            raise InvalidInputError("duration: must be >= 0")
        if m and (min(pred.min(), succ.min()) < 0 or max(pred.max(), succ.max()) >= n):
            raise InvalidInputError(f"pred/succ: task index out of range 0..{n - 1}")
        if m and (link_type.min() < FS or link_type.max() > SF):
            raise InvalidInputError("link_type: must be one of FS=0, SS=1, FF=2, SF=3")
        if np.any(pred == succ):
            bad = int(pred[np.argmax(pred == succ)])
            raise CycleError(f"task {bad} is linked to itself", [bad])
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "pred", pred)
        object.__setattr__(self, "succ", succ)
        object.__setattr__(self, "link_type", link_type)
        object.__setattr__(self, "lag", lag)
        if self.elapsed is not None:
            elapsed = np.asarray(self.elapsed, dtype=np.bool_)
            if elapsed.shape != (m,):
                raise InvalidInputError(f"elapsed: expected {m} values")
            object.__setattr__(self, "elapsed", elapsed if elapsed.any() else None)
        # Calendars only matter where they differ from the project calendar:
        # otherwise the network stays on the one-calendar fast path.
        if self.calendar is not None:
            cal = as_int_array("calendar", self.calendar, n)
            if cal.size and cal.min() < 0:
                raise InvalidInputError("calendar: must be >= 0")
            object.__setattr__(self, "calendar", cal if cal.any() else None)
        if self.lag_calendar is not None:
            lag_cal = as_int_array("lag_calendar", self.lag_calendar, m)
            if lag_cal.size and lag_cal.min() < 0:
                raise InvalidInputError("lag_calendar: must be >= 0")
            used = lag_cal.any() and bool(np.any((lag_cal != 0) & (lag != 0)))
            object.__setattr__(self, "lag_calendar", lag_cal if used else None)

    @property
    def calendared(self) -> bool:
        """Whether some task or lag is on a calendar other than the project calendar."""
        return self.calendar is not None or self.lag_calendar is not None

    @property
    def n_tasks(self) -> int:
        """Number of tasks."""
        return int(self.duration.size)

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.pred.size)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Prepared:
    """Topological levels and link orderings of a :class:`Network` (computed once).

    ``fwd`` sorts links by (level of successor, successor); ``bwd`` by (level
    of predecessor, predecessor). ``*_lvl`` hold, per level, the slice bounds
    into the sorted links and ``*_seg`` the starts of each task's run.
    """

    level: IntArray
    fwd: IntArray
    fwd_lvl: IntArray
    fwd_seg: IntArray
    bwd: IntArray
    bwd_lvl: IntArray
    bwd_seg: IntArray
    fwd_seg_lvl: IntArray
    bwd_seg_lvl: IntArray

    @property
    def n_levels(self) -> int:
        """Number of topological levels."""
        return int(self.fwd_lvl.size) - 1


def _find_cycle(net: Network, left: BoolArray) -> list[int]:
    """Return one cycle among the tasks that Kahn's algorithm could not order."""
    nodes = set(np.flatnonzero(left).tolist())
    succs: dict[int, list[int]] = {}
    for p, s in zip(net.pred.tolist(), net.succ.tolist(), strict=True):
        if p in nodes and s in nodes:
            succs.setdefault(p, []).append(s)
    # Every remaining node has a remaining predecessor, so walking backwards
    # along predecessors must revisit a node: that closes a cycle.
    preds: dict[int, int] = {}
    for p, ss in succs.items():
        for s in ss:
            preds.setdefault(s, p)
    node = min(nodes)
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = preds[node]
    cycle = path[seen[node] :]
    cycle.reverse()
    k = cycle.index(min(cycle))
    return cycle[k:] + cycle[:k]


def _segments(
    key_sorted: IntArray, lvl_sorted: IntArray, n_levels: int
) -> tuple[IntArray, IntArray]:
    m = key_sorted.size
    lvl_bounds = np.searchsorted(lvl_sorted, np.arange(n_levels + 1)).astype(np.int64)
    if m == 0:
        return lvl_bounds, np.zeros(0, dtype=np.int64)
    change = np.empty(m, dtype=np.bool_)
    change[0] = True
    np.not_equal(key_sorted[1:], key_sorted[:-1], out=change[1:])
    return lvl_bounds, np.flatnonzero(change).astype(np.int64)


_THIN_AFTER = 64
_THIN_WIDTH = 16


def _levels_loop(
    ptr: IntArray, succ_by_pred: IntArray, indeg: IntArray, level: IntArray, frontier: IntArray
) -> int:
    """Continue Kahn's algorithm task by task; return how many more tasks got a level."""
    ptr_l, succ_l, indeg_l = ptr.tolist(), succ_by_pred.tolist(), indeg.tolist()
    level_l = level.tolist()
    queue = deque(frontier.tolist())
    more = 0
    while queue:
        u = queue.popleft()
        nxt = level_l[u] + 1
        for j in range(ptr_l[u], ptr_l[u + 1]):
            v = succ_l[j]
            if level_l[v] < nxt:
                level_l[v] = nxt
            indeg_l[v] -= 1
            if indeg_l[v] == 0:
                queue.append(v)
                more += 1
    # Tasks left on a cycle keep level -1 (they were never freed).
    freed = np.array(level_l, dtype=np.int64)
    stuck = np.array(indeg_l, dtype=np.int64) > 0
    freed[stuck] = -1
    level[:] = freed
    return more


def prepare(net: Network) -> Prepared:
    """Order the network topologically by levels (Kahn's algorithm, vectorised).

    The level of a task is the number of links on the longest chain of links
    leading to it. Raises :class:`~pmo.engine.errors.CycleError` naming the
    tasks of one cycle when the network is not acyclic.

    Examples
    --------
    >>> net = Network(duration=[1, 1, 1], pred=[0, 1], succ=[1, 2], link_type=[0, 0], lag=[0, 0])
    >>> prepare(net).level.tolist()
    [0, 1, 2]
    >>> prepare(Network(duration=[1, 1], pred=[0, 1], succ=[1, 0], link_type=[0, 0], lag=[0, 0]))
    Traceback (most recent call last):
    ...
    pmo.engine.errors.CycleError: the network has a cycle: 0 -> 1 -> 0
    """
    n = net.n_tasks
    by_pred = np.argsort(net.pred)
    succ_by_pred = net.succ[by_pred]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(net.pred, minlength=n), out=ptr[1:])
    indeg = np.bincount(net.succ, minlength=n).astype(np.int64)
    level = np.full(n, -1, dtype=np.int64)
    slot = np.zeros(n, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    depth = 0
    done = 0
    # Kahn's algorithm visits the out-links level by level: kept, they are the
    # backward pass's order (by level of predecessor) without another sort.
    visited: list[IntArray] = []
    visited_all = True
    while frontier.size:
        level[frontier] = depth
        done += frontier.size
        if depth >= _THIN_AFTER and done < _THIN_WIDTH * depth:
            # Deep and narrow (e.g. long chains): numpy calls per level cost
            # more than the work, so finish in plain Python.
            done += _levels_loop(ptr, succ_by_pred, indeg, level, frontier)
            visited_all = False
            break
        starts = ptr[frontier]
        counts = ptr[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            break
        # Concatenated ranges [starts[i], starts[i] + counts[i]) without a loop.
        idx = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        visited.append(idx)
        targets = succ_by_pred[idx]
        np.subtract.at(indeg, targets, 1)
        ready = targets[indeg[targets] == 0]
        # A task freed by several links appears several times: keep its last copy.
        slot[ready] = np.arange(ready.size)
        frontier = ready[slot[ready] == np.arange(ready.size)]
        depth += 1
    if done < n:
        cycle = _find_cycle(net, level < 0)
        text = " -> ".join(str(t) for t in [*cycle, cycle[0]])
        raise CycleError(f"the network has a cycle: {text}", cycle)
    n_levels = int(level.max()) + 1 if n else 0
    fkey = level[net.succ] * max(n, 1) + net.succ
    fwd = np.argsort(fkey)
    fwd_lvl, fwd_seg = _segments(fkey[fwd], level[net.succ[fwd]], n_levels)
    if visited_all:
        bwd = by_pred[np.concatenate(visited)] if visited else np.zeros(0, dtype=np.int64)
        bkey_sorted = net.pred[bwd]
    else:
        bkey = level[net.pred] * max(n, 1) + net.pred
        bwd = np.argsort(bkey)
        bkey_sorted = bkey[bwd]
    bwd_lvl, bwd_seg = _segments(bkey_sorted, level[net.pred[bwd]], n_levels)
    return Prepared(
        level=level,
        fwd=fwd,
        fwd_lvl=fwd_lvl,
        fwd_seg=fwd_seg,
        bwd=bwd,
        bwd_lvl=bwd_lvl,
        bwd_seg=bwd_seg,
        fwd_seg_lvl=np.searchsorted(fwd_seg, fwd_lvl).astype(np.int64),
        bwd_seg_lvl=np.searchsorted(bwd_seg, bwd_lvl).astype(np.int64),
    )

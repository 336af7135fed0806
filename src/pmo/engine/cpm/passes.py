"""Forward and backward pass of the critical path method on a :class:`Network`.

Two interchangeable implementations: ``"levels"`` handles a whole topological
level with a few numpy calls (fast when levels are wide, the common case),
``"loop"`` walks the tasks one by one in plain Python (no per-level numpy
overhead, so better for deep, narrow networks such as long chains).
``"auto"`` picks by the average number of links per level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pmo.engine.cpm.links import CalendarLinks, ElapsedLinks, LinkTerms, SpecialLinks
from pmo.engine.cpm.network import (
    NO_TIME,
    BoolArray,
    ElapsedAxis,
    IntArray,
    Network,
    Prepared,
    TaskCalendars,
    as_int_array,
    prepare,
)
from pmo.engine.errors import InvalidInputError

__all__ = ["LOOP_BELOW_LINKS_PER_LEVEL", "CpmArrays", "Method", "cpm_arrays"]

Method = Literal["auto", "levels", "loop"]

LOOP_BELOW_LINKS_PER_LEVEL = 24
"""``"auto"`` uses the Python loop when levels hold fewer links than this on average."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class CpmArrays:
    """Early and late dates and floats of every task, as arrays (working-time offsets).

    ``total_float`` is ``LS - ES`` (negative when a constraint cannot be met);
    ``free_float`` is how far a task can slip without delaying any successor's
    early start (or the project finish, for tasks without successors).
    """

    early_start: IntArray
    early_finish: IntArray
    late_start: IntArray
    late_finish: IntArray
    total_float: IntArray
    free_float: IntArray
    project_finish: int


def _forward_levels(
    net: Network,
    pr: Prepared,
    lk: LinkTerms,
    es: IntArray,
    fixed: BoolArray | None,
    sp: SpecialLinks | None,
) -> IntArray:
    fwd = pr.fwd
    fp, fs, fo = net.pred[fwd], net.succ[fwd], lk.offset[fwd]
    cand = np.empty(fwd.size, dtype=np.int64)
    for lvl in range(1, pr.n_levels):
        lo, hi = int(pr.fwd_lvl[lvl]), int(pr.fwd_lvl[lvl + 1])
        if lo == hi:
            continue
        c = es[fp[lo:hi]]
        c += fo[lo:hi]
        if sp is not None:
            pos = np.flatnonzero(sp.mask[fwd[lo:hi]])
            if pos.size:
                sel = fwd[lo:hi][pos]
                c[pos] = sp.forward(sel, es[net.pred[sel]])
        cand[lo:hi] = c
        segs = pr.fwd_seg[pr.fwd_seg_lvl[lvl] : pr.fwd_seg_lvl[lvl + 1]]
        tasks = fs[segs]
        val = np.maximum(es[tasks], np.maximum.reduceat(c, segs - lo))
        if fixed is not None:
            val = np.where(fixed[tasks], es[tasks], val)
        es[tasks] = val
    return cand


def _backward_levels(
    net: Network, pr: Prepared, lk: LinkTerms, ls: IntArray, sp: SpecialLinks | None
) -> None:
    bwd = pr.bwd
    bp, bs, bo = net.pred[bwd], net.succ[bwd], lk.offset[bwd]
    for lvl in range(pr.n_levels - 1, -1, -1):
        lo, hi = int(pr.bwd_lvl[lvl]), int(pr.bwd_lvl[lvl + 1])
        if lo == hi:
            continue
        c = ls[bs[lo:hi]]
        c -= bo[lo:hi]
        if sp is not None:
            pos = np.flatnonzero(sp.mask[bwd[lo:hi]])
            if pos.size:
                sel = bwd[lo:hi][pos]
                c[pos] = sp.backward(sel, ls[net.succ[sel]])
        segs = pr.bwd_seg[pr.bwd_seg_lvl[lvl] : pr.bwd_seg_lvl[lvl + 1]]
        tasks = bp[segs]
        ls[tasks] = np.minimum(ls[tasks], np.minimum.reduceat(c, segs - lo))


def _forward_loop(
    net: Network,
    pr: Prepared,
    lk: LinkTerms,
    es: IntArray,
    fixed: BoolArray | None,
    sp: SpecialLinks | None,
) -> IntArray:
    fwd = pr.fwd
    m = int(fwd.size)
    pred = net.pred[fwd].tolist()
    offset = lk.offset[fwd].tolist()
    is_special = set([] if sp is None else np.flatnonzero(sp.mask[fwd]).tolist())
    seg = [*pr.fwd_seg.tolist(), m]
    tasks = net.succ[fwd][pr.fwd_seg].tolist()
    pinned = [False] * es.size if fixed is None else fixed.tolist()
    e = es.tolist()
    cand = [0] * m
    for k, s in enumerate(tasks):
        best = e[s]
        for j in range(seg[k], seg[k + 1]):
            if sp is not None and j in is_special:
                start = np.array([e[pred[j]]], dtype=np.int64)
                c = int(sp.forward(fwd[j : j + 1], start)[0])
            else:
                c = e[pred[j]] + offset[j]
            cand[j] = c
            if c > best:
                best = c
        if not pinned[s]:
            e[s] = best
    es[:] = e
    return np.array(cand, dtype=np.int64)


def _backward_loop(
    net: Network, pr: Prepared, lk: LinkTerms, ls: IntArray, sp: SpecialLinks | None
) -> None:
    bwd = pr.bwd
    m = int(bwd.size)
    succ = net.succ[bwd].tolist()
    offset = lk.offset[bwd].tolist()
    is_special = set([] if sp is None else np.flatnonzero(sp.mask[bwd]).tolist())
    seg = [*pr.bwd_seg.tolist(), m]
    tasks = net.pred[bwd][pr.bwd_seg].tolist()
    late = ls.tolist()
    for k in range(len(tasks) - 1, -1, -1):
        p = tasks[k]
        best = late[p]
        for j in range(seg[k], seg[k + 1]):
            if sp is not None and j in is_special:
                start = np.array([late[succ[j]]], dtype=np.int64)
                c = int(sp.backward(bwd[j : j + 1], start)[0])
            else:
                c = late[succ[j]] - offset[j]
            if c < best:
                best = c
        late[p] = best
    ls[:] = late


def cpm_arrays(
    net: Network,
    *,
    prepared: Prepared | None = None,
    start_floor: IntArray | int = 0,
    fixed_start: IntArray | None = None,
    finish_cap: IntArray | None = None,
    project_finish: int | None = None,
    axis: ElapsedAxis | None = None,
    calendars: TaskCalendars | None = None,
    method: Method = "auto",
) -> CpmArrays:
    """Run the forward and backward pass of the critical path method.

    Both passes walk the topological levels once, so the work is linear in
    tasks + links; see the module docstring for ``method``.

    Parameters
    ----------
    net : Network
        The precedence network.
    prepared : Prepared, optional
        Result of :func:`~pmo.engine.cpm.network.prepare` for ``net``.
    start_floor : int or array of int
        Earliest start of each task (project start 0, status date, SNET ...).
    fixed_start : array of int, optional
        Start that overrides the links (:data:`NO_TIME` where not fixed).
    finish_cap : array of int, optional
        Latest finish of each task (SNLT/FNLT ...; :data:`NO_CAP` where none).
    project_finish : int, optional
        Late finish of the project (on the project calendar, 0); the latest
        early finish when omitted.
    axis : ElapsedAxis, optional
        Needed when a one-calendar network has links with elapsed lags.
    calendars : TaskCalendars, optional
        Needed when tasks or lags have calendars (``net.calendared``). Each
        task's times are then working minutes of its own calendar; the
        project finish is the latest early finish instant, and free float of
        a task without successors is measured to it on the task's calendar.
    method : {"auto", "levels", "loop"}
        Implementation of the passes (same results).

    Returns
    -------
    CpmArrays

    Examples
    --------
    >>> from pmo.engine.cpm import FS
    >>> net = Network(duration=[3, 2, 4], pred=[0, 0], succ=[1, 2], link_type=[FS, FS], lag=[0, 0])
    >>> r = cpm_arrays(net)
    >>> r.early_start.tolist(), r.late_start.tolist(), r.total_float.tolist()
    ([0, 3, 3], [0, 5, 3], [0, 2, 0])
    """
    if method not in ("auto", "levels", "loop"):
        raise InvalidInputError(f"method: expected auto, levels or loop, got {method!r}")
    if prepared is None:
        prepared = prepare(net)
    sp: SpecialLinks | None = None
    lk = LinkTerms.of(net)
    if net.calendared:
        if calendars is None:
            raise InvalidInputError("task calendars need the calendars (calendars=...)")
        sp = CalendarLinks.of(net, lk, calendars)
    elif net.elapsed is not None:
        if axis is None:
            raise InvalidInputError("elapsed lags need a calendar axis (axis=...)")
        sp = ElapsedLinks(net=net, terms=lk, mask=net.elapsed, axis=axis)
    if method == "auto":
        thin = net.n_links < LOOP_BELOW_LINKS_PER_LEVEL * prepared.n_levels
        method = "loop" if thin else "levels"
    n = net.n_tasks
    d = net.duration
    es = np.zeros(n, dtype=np.int64)
    if isinstance(start_floor, int | np.integer):
        np.maximum(es, start_floor, out=es)
    else:
        np.maximum(es, as_int_array("start_floor", start_floor, n), out=es)
    fixed: BoolArray | None = None
    if fixed_start is not None:
        fixed_start = as_int_array("fixed_start", fixed_start, n)
        fixed = fixed_start != NO_TIME
        if fixed.any():
            es[fixed] = fixed_start[fixed]
        else:
            fixed = None
    if method == "levels":
        cand = _forward_levels(net, prepared, lk, es, fixed, sp)
    else:
        cand = _forward_loop(net, prepared, lk, es, fixed, sp)
    ef = es + d
    pf = int(ef.max()) if n else 0
    if project_finish is not None:
        pf = project_finish
    if isinstance(sp, CalendarLinks) and n:
        # one finish instant, as working time of each task's own calendar
        cal = sp.task_cal
        if project_finish is None:
            at = int(sp.cals.minute_of(cal, ef, True).max())
            pf = int(sp.cals.work_before(np.zeros(1, dtype=np.int64), np.array([at]))[0])
        else:
            zero = np.zeros(1, dtype=np.int64)
            at = int(sp.cals.minute_of(zero, np.array([project_finish]), True)[0])
        lf = sp.cals.work_before(cal, np.full(n, at, dtype=np.int64))
        task_pf: IntArray | int = lf.copy()
    else:
        lf = np.full(n, pf, dtype=np.int64)
        task_pf = pf
    if finish_cap is not None:
        np.minimum(lf, as_int_array("finish_cap", finish_cap, n), out=lf)
    ls = lf - d
    if method == "levels":
        _backward_levels(net, prepared, lk, ls, sp)
    else:
        _backward_loop(net, prepared, lk, ls, sp)
    free = task_pf - ef
    fwd = prepared.fwd
    if fwd.size:
        slack = es[net.succ[fwd]] - cand
        if sp is not None:
            # Such links are not linear in time: ask how late the predecessor
            # may be without moving the successor.
            pos = np.flatnonzero(sp.mask[fwd])
            sel = fwd[pos]
            slack[pos] = sp.backward(sel, es[net.succ[sel]])
            slack[pos] -= es[net.pred[sel]]
        np.minimum.at(free, net.pred[fwd], slack)
    return CpmArrays(
        early_start=es,
        early_finish=ef,
        late_start=ls,
        late_finish=ls + d,
        total_float=ls - es,
        free_float=free,
        project_finish=pf,
    )

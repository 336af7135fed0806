"""The serial schedule generation scheme and forward-backward justification (numba).

:func:`serial` decodes an activity list (Kolisch 1996); :func:`justify`
improves a schedule by forward-backward passes (Valls, Ballestin and
Quintanilla 2005); :func:`decode` does both, as the genetic algorithm needs.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from pmo.engine.leveling.kernels.arrays import BAD
from pmo.engine.leveling.kernels.primitives import earliest, place, topo_by_key

__all__ = ["better", "decode", "justify", "score", "serial"]


@njit(cache=True, nogil=True)
def serial(order, starts, g, avail):  # type: ignore[no-untyped-def]
    """Serial SGS of ``order`` into ``starts``; the activity that fits nowhere, or -1.

    ``g`` is the network (:class:`~pmo.engine.leveling.kernels.Arrays`). ``avail``
    is a work buffer equal to ``g.cap`` on entry; it is restored on exit, only
    over the periods used (much shorter than the safe horizon).
    """
    dur, demand, release, pinned = g.dur, g.demand, g.release, g.pinned
    pred_ptr, pred_idx, pred_delta = g.pred_ptr, g.pred_idx, g.pred_delta
    uses_ptr, uses_idx, cap = g.uses_ptr, g.uses_idx, g.cap
    n = dur.shape[0]
    used = 0
    failed = -1
    for j in range(n):
        if pinned[j] >= 0:
            starts[j] = pinned[j]
            place(avail, demand, uses_ptr, uses_idx, j, dur[j], pinned[j])
            used = max(used, pinned[j] + dur[j])
    for j in order:
        if pinned[j] >= 0:
            continue
        es = release[j]
        for q in range(pred_ptr[j], pred_ptr[j + 1]):
            v = starts[pred_idx[q]] + pred_delta[q]
            if v > es:
                es = v
        s = earliest(avail, demand, uses_ptr, uses_idx, j, dur[j], es, -1)
        if s < 0:
            failed = j
            used = avail.shape[1]
            break
        starts[j] = s
        place(avail, demand, uses_ptr, uses_idx, j, dur[j], s)
        used = max(used, s + dur[j])
    for k in range(avail.shape[0]):
        for u in range(used):
            avail[k, u] = cap[k, u]
    return failed


@njit(cache=True, nogil=True)
def _backward(starts, out, g, order_buf):  # type: ignore[no-untyped-def]
    """Right-justify ``starts`` inside [0, total) into ``out``; False if blocked."""
    dur, demand, release, deadline, pinned = g.dur, g.demand, g.release, g.deadline, g.pinned
    pred_ptr, pred_idx = g.pred_ptr, g.pred_idx
    succ_ptr, succ_idx, succ_delta = g.succ_ptr, g.succ_idx, g.succ_delta
    uses_ptr, uses_idx, cap = g.uses_ptr, g.uses_idx, g.cap
    n = dur.shape[0]
    total = 0
    for j in range(n):
        f = starts[j] + dur[j]
        if f > total:
            total = f
    m = cap.shape[0]
    avail = np.zeros((m, total), dtype=np.int64)
    for k in range(m):
        for t in range(total):
            avail[k, total - 1 - t] = cap[k, t]
    rev = np.empty(n, dtype=np.int64)
    for j in range(n):
        if pinned[j] >= 0:
            rev[j] = total - pinned[j] - dur[j]
            place(avail, demand, uses_ptr, uses_idx, j, dur[j], rev[j])
    key = np.empty(n, dtype=np.float64)
    for j in range(n):
        key[j] = -(starts[j] + dur[j])
    # Reverse topological order (successors first): in-arcs are the successors.
    topo_by_key(key, succ_ptr, pred_ptr, pred_idx, order_buf)
    for j in order_buf:
        if pinned[j] >= 0:
            continue
        es = 0
        if deadline[j] >= 0 and total - deadline[j] > es:
            es = total - deadline[j]
        for q in range(succ_ptr[j], succ_ptr[j + 1]):
            s = succ_idx[q]
            v = rev[s] + dur[s] - dur[j] + succ_delta[q]
            if v > es:
                es = v
        limit = total - dur[j] - release[j]
        if limit < 0:
            return False
        r = earliest(avail, demand, uses_ptr, uses_idx, j, dur[j], es, limit)
        if r < 0:
            return False
        rev[j] = r
        place(avail, demand, uses_ptr, uses_idx, j, dur[j], r)
    for j in range(n):
        out[j] = total - rev[j] - dur[j]
    return True


@njit(cache=True, nogil=True)
def score(starts, g, out):  # type: ignore[no-untyped-def]
    """(lateness, objective, makespan) of ``starts`` into ``out``."""
    dur, deadline, project, weights, cpm_finish = (
        g.dur,
        g.deadline,
        g.project,
        g.weights,
        g.cpm_finish,
    )
    n = dur.shape[0]
    nproj = weights.shape[0]
    finish = np.zeros(nproj, dtype=np.int64)
    late = 0
    for j in range(n):
        f = starts[j] + dur[j]
        if deadline[j] >= 0 and f > deadline[j]:
            late += f - deadline[j]
        p = project[j]
        if f > finish[p]:
            finish[p] = f
    makespan = 0
    obj = 0
    for p in range(nproj):
        if finish[p] > makespan:
            makespan = finish[p]
        if finish[p] > cpm_finish[p]:
            obj += weights[p] * (finish[p] - cpm_finish[p])
    if g.makespan_objective:
        obj = makespan
    out[0] = late
    out[1] = obj
    out[2] = makespan


@njit(cache=True, nogil=True)
def better(a, b):  # type: ignore[no-untyped-def]
    """Whether score ``a`` beats score ``b`` (lexicographic, smaller first)."""
    for i in range(3):
        if a[i] != b[i]:
            return a[i] < b[i]
    return False


@njit(cache=True, nogil=True)
def justify(starts, fit, rounds, work, g):  # type: ignore[no-untyped-def]
    """Forward-backward improvement of ``starts`` in place (up to ``rounds`` rounds).

    ``fit`` holds the score of ``starts`` on entry and of the result on exit;
    each round right-justifies the schedule and decodes the order of the
    right-justified starts with the serial scheme; a round that does not
    improve the score ends the improvement. True if ``starts`` changed.
    """
    n = g.dur.shape[0]
    pred_ptr, succ_ptr, succ_idx = g.pred_ptr, g.succ_ptr, g.succ_idx
    right = np.empty(n, dtype=np.int64)
    trial = np.empty(n, dtype=np.int64)
    trial_order = np.empty(n, dtype=np.int64)
    buf = np.empty(n, dtype=np.int64)
    key = np.empty(n, dtype=np.float64)
    tfit = np.empty(3, dtype=np.int64)
    improved = False
    for _ in range(rounds):
        if not _backward(starts, right, g, buf):
            break
        for j in range(n):
            key[j] = right[j]
        topo_by_key(key, pred_ptr, succ_ptr, succ_idx, trial_order)
        if serial(trial_order, trial, g, work) >= 0:
            break
        score(trial, g, tfit)
        if not better(tfit, fit):
            break
        for j in range(n):
            starts[j] = trial[j]
        for i in range(3):
            fit[i] = tfit[i]
        improved = True
    return improved


@njit(cache=True, nogil=True)
def decode(order, starts, fit, work, rounds, g):  # type: ignore[no-untyped-def]
    """Decode ``order``, improve it by forward-backward passes; ``order`` becomes the
    list of the best schedule (by start), ``starts`` and ``fit`` its schedule and score.
    False if the list cannot be decoded."""
    if serial(order, starts, g, work) >= 0:
        for i in range(3):
            fit[i] = BAD
        return False
    score(starts, g, fit)
    if justify(starts, fit, rounds, work, g):
        key = starts.astype(np.float64)
        topo_by_key(key, g.pred_ptr, g.succ_ptr, g.succ_idx, order)
    return True

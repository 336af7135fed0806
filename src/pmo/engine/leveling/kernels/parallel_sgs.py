"""The parallel schedule generation scheme over priority values (numba, Kolisch 1996)."""

from __future__ import annotations

import numpy as np
from numba import njit

from pmo.engine.leveling.kernels.arrays import BAD
from pmo.engine.leveling.kernels.primitives import earliest, heap_pop, heap_push, place

__all__ = ["parallel"]


@njit(cache=True, nogil=True)
def _insert_sorted(r_key, r_j, lo, hi):  # type: ignore[no-untyped-def]
    """Insertion sort of ``r_key/r_j[lo:hi]`` by (key, activity)."""
    for a in range(lo + 1, hi):
        key, j = r_key[a], r_j[a]
        b = a - 1
        while b >= lo and (r_key[b] > key or (r_key[b] == key and r_j[b] > j)):
            r_key[b + 1] = r_key[b]
            r_j[b + 1] = r_j[b]
            b -= 1
        r_key[b + 1] = key
        r_j[b + 1] = j


@njit(cache=True, nogil=True)
def parallel(prio, events, starts, g, avail):  # type: ignore[no-untyped-def]
    """Parallel SGS into ``starts``: at each decision time start what fits, best priority first.

    ``prio`` (smaller first, ties by index); ``events`` are the sorted times
    where a capacity window begins or ends (decision times besides finishes
    and releases). ``avail`` is a work buffer equal to ``g.cap`` on entry
    (left used). False if the scheme runs past the horizon.
    """
    dur, demand, release, pinned = g.dur, g.demand, g.release, g.pinned
    pred_ptr, pred_idx, pred_delta = g.pred_ptr, g.pred_idx, g.pred_delta
    succ_ptr, succ_idx = g.succ_ptr, g.succ_idx
    uses_ptr, uses_idx = g.uses_ptr, g.uses_idx
    n = dur.shape[0]
    horizon = avail.shape[1]
    left = np.empty(n, dtype=np.int64)
    r_j = np.empty(n, dtype=np.int64)  # ready activities, sorted by (priority, index)
    r_key = np.empty(n, dtype=np.float64)
    r_es = np.empty(n, dtype=np.int64)  # earliest start of every activity once ready
    done = np.zeros(n, dtype=np.bool_)
    stack = np.empty(n, dtype=np.int64)
    fin_key = np.empty(n, dtype=np.float64)  # running finishes (a heap)
    fin_val = np.empty(n, dtype=np.int64)
    nfin = 0
    nr = 0
    todo = n
    for j in range(n):
        left[j] = pred_ptr[j + 1] - pred_ptr[j]
        if pinned[j] >= 0:
            starts[j] = pinned[j]
            place(avail, demand, uses_ptr, uses_idx, j, dur[j], pinned[j])
            todo -= 1
    # Roots; a pinned activity releases its successors as soon as it is ready.
    top = 0
    for j in range(n):
        if left[j] == 0:
            if pinned[j] >= 0:
                stack[top] = j
                top += 1
            else:
                r_j[nr] = j
                r_key[nr] = prio[j]
                r_es[j] = release[j]
                nr += 1
    t = -1  # set once the roots' successors are in
    while True:
        # Release the successors of the activities on the stack.
        while top > 0:
            top -= 1
            i = stack[top]
            for q in range(succ_ptr[i], succ_ptr[i + 1]):
                s = succ_idx[q]
                left[s] -= 1
                if left[s] == 0:
                    if pinned[s] >= 0:
                        stack[top] = s
                        top += 1
                    else:
                        es = release[s]
                        for p in range(pred_ptr[s], pred_ptr[s + 1]):
                            v = starts[pred_idx[p]] + pred_delta[p]
                            if v > es:
                                es = v
                        r_es[s] = es
                        r_j[nr] = s
                        r_key[nr] = prio[s]
                        nr += 1
        if t < 0:
            t = BAD
            for a in range(nr):
                t = min(t, r_es[r_j[a]])
            if t == BAD:
                t = 0
        if todo == 0:
            return True
        _insert_sorted(r_key, r_j, 0, nr)
        # One pass over the ready list as it stands: start what fits at t.
        started = False
        snapshot = nr
        for a in range(snapshot):
            j = r_j[a]
            if r_es[j] <= t and earliest(avail, demand, uses_ptr, uses_idx, j, dur[j], t, t) == t:
                starts[j] = t
                place(avail, demand, uses_ptr, uses_idx, j, dur[j], t)
                done[j] = True
                todo -= 1
                nfin = heap_push(fin_key, fin_val, nfin, float(t + dur[j]), t + dur[j])
                stack[top] = j
                top += 1
                started = True
                # Successors join the list after this pass (the stack is emptied above).
        if started:
            kept = 0
            for a in range(nr):
                if not done[r_j[a]]:
                    r_j[kept] = r_j[a]
                    r_key[kept] = r_key[a]
                    kept += 1
            nr = kept
            continue
        while nfin > 0 and fin_val[0] <= t:
            _, nfin = heap_pop(fin_key, fin_val, nfin)
        nxt = BAD
        for a in range(nr):
            es = r_es[r_j[a]]
            if t < es < nxt:
                nxt = es
        if nfin > 0 and fin_val[0] < nxt:
            nxt = fin_val[0]
        for e in events:
            if e > t:
                nxt = min(nxt, e)
                break
        t = t + 1 if nxt == BAD else nxt
        if t >= horizon:
            return False

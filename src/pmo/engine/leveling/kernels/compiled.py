"""The compiled kernels (numba): fitting and booking, heap, topological order, both schemes.

:func:`serial` decodes an activity list and :func:`parallel` a vector of
priority values (Kolisch 1996); :func:`justify` improves a schedule by
forward-backward passes (Valls, Ballestin and Quintanilla 2005) and
:func:`decode` does both, as the genetic algorithm needs.

Every kernel that another kernel calls lives in this one module on purpose:
numba's on-disk cache of a kernel is invalidated only when its own module
file changes, and a caller's cached machine code embeds its callees. Kernels
split over several files would keep running the old code of an edited callee
until ``__pycache__`` is cleared.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["BAD", "better", "decode", "justify", "parallel", "score", "serial", "topo_by_key"]

BAD = np.iinfo(np.int64).max // 4
"""Score of a list that cannot be decoded."""


@njit(cache=True, nogil=True)
def _earliest(avail, demand, uses_ptr, uses_idx, j, d, es, limit):  # type: ignore[no-untyped-def]
    """Earliest start >= es where j fits into avail (-1 if none <= limit)."""
    length = avail.shape[1]
    if d == 0 or uses_ptr[j] == uses_ptr[j + 1]:
        if limit >= 0 and es > limit:
            return -1
        return es
    t = es
    while True:
        if t + d > length or (limit >= 0 and t > limit):
            return -1
        bad = -1
        u = t + d - 1
        while u >= t:
            for q in range(uses_ptr[j], uses_ptr[j + 1]):
                k = uses_idx[q]
                if avail[k, u] < demand[j, k]:
                    bad = u
                    break
            if bad >= 0:
                break
            u -= 1
        if bad < 0:
            return t
        t = bad + 1


@njit(cache=True, nogil=True)
def _place(avail, demand, uses_ptr, uses_idx, j, d, s):  # type: ignore[no-untyped-def]
    for q in range(uses_ptr[j], uses_ptr[j + 1]):
        k = uses_idx[q]
        for u in range(s, s + d):
            avail[k, u] -= demand[j, k]


@njit(cache=True, nogil=True)
def _heap_push(heap_key, heap_val, size, key, val):  # type: ignore[no-untyped-def]
    i = size
    heap_key[i] = key
    heap_val[i] = val
    while i > 0:
        parent = (i - 1) // 2
        # The comparisons stay written out: a helper function cost the GA a fifth of
        # its decodes per second (numba did not inline it).
        if heap_key[parent] < heap_key[i] or (
            heap_key[parent] == heap_key[i] and heap_val[parent] <= heap_val[i]
        ):
            break
        heap_key[parent], heap_key[i] = heap_key[i], heap_key[parent]
        heap_val[parent], heap_val[i] = heap_val[i], heap_val[parent]
        i = parent
    return size + 1


@njit(cache=True, nogil=True)
def _heap_pop(heap_key, heap_val, size):  # type: ignore[no-untyped-def]
    top = heap_val[0]
    size -= 1
    heap_key[0] = heap_key[size]
    heap_val[0] = heap_val[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        best = left
        right = left + 1
        if right < size and (
            heap_key[right] < heap_key[left]
            or (heap_key[right] == heap_key[left] and heap_val[right] < heap_val[left])
        ):
            best = right
        if heap_key[i] < heap_key[best] or (
            heap_key[i] == heap_key[best] and heap_val[i] <= heap_val[best]
        ):
            break
        heap_key[i], heap_key[best] = heap_key[best], heap_key[i]
        heap_val[i], heap_val[best] = heap_val[best], heap_val[i]
        i = best
    return top, size


@njit(cache=True, nogil=True)
def topo_by_key(key, ptr_in, ptr_out, idx_out, out):  # type: ignore[no-untyped-def]
    """A topological order taking the smallest key first (ties: lowest index).

    ``ptr_in`` gives the in-degree of every node (CSR of the incoming arcs),
    ``ptr_out``/``idx_out`` the outgoing arcs.
    """
    n = key.shape[0]
    left = np.empty(n, dtype=np.int64)
    heap_key = np.empty(n, dtype=np.float64)
    heap_val = np.empty(n, dtype=np.int64)
    size = 0
    for j in range(n):
        left[j] = ptr_in[j + 1] - ptr_in[j]
        if left[j] == 0:
            size = _heap_push(heap_key, heap_val, size, key[j], j)
    pos = 0
    while size > 0:
        j, size = _heap_pop(heap_key, heap_val, size)
        out[pos] = j
        pos += 1
        for q in range(ptr_out[j], ptr_out[j + 1]):
            s = idx_out[q]
            left[s] -= 1
            if left[s] == 0:
                size = _heap_push(heap_key, heap_val, size, key[s], s)


@njit(cache=True, nogil=True)
def serial(order, starts, g, avail):  # type: ignore[no-untyped-def]
    """Serial SGS of ``order`` into ``starts``; the activity that fits nowhere, or -1.

    ``g`` is the network (:class:`Arrays`). ``avail`` is a work buffer equal to
    ``g.cap`` on entry; it is restored on exit, only over the periods used (much
    shorter than the safe horizon).
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
            _place(avail, demand, uses_ptr, uses_idx, j, dur[j], pinned[j])
            used = max(used, pinned[j] + dur[j])
    for j in order:
        if pinned[j] >= 0:
            continue
        es = release[j]
        for q in range(pred_ptr[j], pred_ptr[j + 1]):
            v = starts[pred_idx[q]] + pred_delta[q]
            if v > es:
                es = v
        s = _earliest(avail, demand, uses_ptr, uses_idx, j, dur[j], es, -1)
        if s < 0:
            failed = j
            used = avail.shape[1]
            break
        starts[j] = s
        _place(avail, demand, uses_ptr, uses_idx, j, dur[j], s)
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
            _place(avail, demand, uses_ptr, uses_idx, j, dur[j], rev[j])
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
        r = _earliest(avail, demand, uses_ptr, uses_idx, j, dur[j], es, limit)
        if r < 0:
            return False
        rev[j] = r
        _place(avail, demand, uses_ptr, uses_idx, j, dur[j], r)
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
            _place(avail, demand, uses_ptr, uses_idx, j, dur[j], pinned[j])
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
            if r_es[j] <= t and _earliest(avail, demand, uses_ptr, uses_idx, j, dur[j], t, t) == t:
                starts[j] = t
                _place(avail, demand, uses_ptr, uses_idx, j, dur[j], t)
                done[j] = True
                todo -= 1
                nfin = _heap_push(fin_key, fin_val, nfin, float(t + dur[j]), t + dur[j])
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
            _, nfin = _heap_pop(fin_key, fin_val, nfin)
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

"""Compiled building blocks of the schedule generation schemes (numba).

Where an activity fits into the remaining capacity, booking it, a binary heap
of (key, index) pairs and a topological order by key.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["earliest", "heap_pop", "heap_push", "place", "topo_by_key"]


@njit(cache=True, nogil=True)
def earliest(avail, demand, uses_ptr, uses_idx, j, d, es, limit):  # type: ignore[no-untyped-def]
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
def place(avail, demand, uses_ptr, uses_idx, j, d, s):  # type: ignore[no-untyped-def]
    """Book j's demand in avail over [s, s + d)."""
    for q in range(uses_ptr[j], uses_ptr[j + 1]):
        k = uses_idx[q]
        for u in range(s, s + d):
            avail[k, u] -= demand[j, k]


@njit(cache=True, nogil=True)
def heap_push(heap_key, heap_val, size, key, val):  # type: ignore[no-untyped-def]
    """Add (key, val) to the heap of ``size`` entries; return the new size."""
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
def heap_pop(heap_key, heap_val, size):  # type: ignore[no-untyped-def]
    """Remove the smallest (key, val); return its val and the new size."""
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
            size = heap_push(heap_key, heap_val, size, key[j], j)
    pos = 0
    while size > 0:
        j, size = heap_pop(heap_key, heap_val, size)
        out[pos] = j
        pos += 1
        for q in range(ptr_out[j], ptr_out[j + 1]):
            s = idx_out[q]
            left[s] -= 1
            if left[s] == 0:
                size = heap_push(heap_key, heap_val, size, key[s], s)

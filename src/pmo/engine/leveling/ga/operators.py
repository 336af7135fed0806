"""Compiled operators of the genetic algorithm over activity lists (numba).

Random precedence-feasible lists, two-point crossover, neighbour-swap
mutation, the shift move, tournament selection and one whole generation
(children decoded and improved, the best of parents and children kept),
after Hartmann (1998). They draw from numba's own random state, seeded by
:func:`seed_random`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from pmo.engine.leveling.kernels import better, decode, topo_by_key

__all__ = ["generation", "random_list", "seed_random"]


@njit(cache=True, nogil=True)
def seed_random(seed):  # type: ignore[no-untyped-def]
    """Seed numba's random state (its own, apart from NumPy's) for this thread."""
    np.random.seed(seed)


@njit(cache=True, nogil=True)
def random_list(prio, spread, pred_ptr, succ_ptr, succ_idx, out):  # type: ignore[no-untyped-def]
    """A random precedence-feasible list biased towards small ``prio``."""
    n = prio.shape[0]
    key = np.empty(n, dtype=np.float64)
    for j in range(n):
        key[j] = prio[j] + spread * np.random.random()
    topo_by_key(key, pred_ptr, succ_ptr, succ_idx, out)


@njit(cache=True, nogil=True)
def _crossover(mother, father, q1, q2, child, taken):  # type: ignore[no-untyped-def]
    """Two-point crossover: mother's first q1, father's order up to q2, mother's rest."""
    n = mother.shape[0]
    for j in range(n):
        taken[j] = False
    pos = 0
    for i in range(q1):
        child[pos] = mother[i]
        taken[mother[i]] = True
        pos += 1
    i = 0
    while pos < q2 and i < n:
        a = father[i]
        if not taken[a]:
            child[pos] = a
            taken[a] = True
            pos += 1
        i += 1
    i = 0
    while pos < n:
        a = mother[i]
        if not taken[a]:
            child[pos] = a
            taken[a] = True
            pos += 1
        i += 1


@njit(cache=True, nogil=True)
def _mutate(order, rate, pred_ptr, pred_idx):  # type: ignore[no-untyped-def]
    n = order.shape[0]
    for i in range(n - 1):
        if np.random.random() < rate:
            a = order[i]
            b = order[i + 1]
            related = False
            for q in range(pred_ptr[b], pred_ptr[b + 1]):
                if pred_idx[q] == a:
                    related = True
                    break
            if not related:
                order[i] = b
                order[i + 1] = a


@njit(cache=True, nogil=True)
def _shift(order, pred_ptr, pred_idx, succ_ptr, succ_idx, pos):  # type: ignore[no-untyped-def]
    """Move one random activity to a random place between its predecessors and successors."""
    n = order.shape[0]
    if n < 2:
        return
    for i in range(n):
        pos[order[i]] = i
    i = np.random.randint(n)
    a = order[i]
    lo = 0
    for q in range(pred_ptr[a], pred_ptr[a + 1]):
        p = pos[pred_idx[q]] + 1
        if p > lo:
            lo = p
    hi = n - 1
    for q in range(succ_ptr[a], succ_ptr[a + 1]):
        p = pos[succ_idx[q]] - 1
        if p < hi:
            hi = p
    if hi <= lo:
        return
    target = lo + np.random.randint(hi - lo + 1)
    if target > i:
        for k in range(i, target):
            order[k] = order[k + 1]
    else:
        for k in range(i, target, -1):
            order[k] = order[k - 1]
    order[target] = a


@njit(cache=True, nogil=True)
def _tournament(fits, size):  # type: ignore[no-untyped-def]
    a = np.random.randint(size)
    b = np.random.randint(size)
    return b if better(fits[b], fits[a]) else a


@njit(cache=True, nogil=True)
def generation(  # type: ignore[no-untyped-def]
    pop,
    fits,
    starts,
    kids,
    kid_fits,
    kid_starts,
    work,
    rate,
    shift,
    rounds,
    g,
):
    """One generation: P children by crossover and mutation, the best P of 2P survive."""
    pred_ptr, pred_idx, succ_ptr, succ_idx = g.pred_ptr, g.pred_idx, g.succ_ptr, g.succ_idx
    size, n = pop.shape
    taken = np.empty(n, dtype=np.bool_)
    pos = np.empty(n, dtype=np.int64)
    for c in range(0, size, 2):
        mother = pop[_tournament(fits, size)]
        father = pop[_tournament(fits, size)]
        q1 = np.random.randint(n + 1)
        q2 = np.random.randint(n + 1)
        if q1 > q2:
            q1, q2 = q2, q1
        _crossover(mother, father, q1, q2, kids[c], taken)
        if c + 1 < size:
            _crossover(father, mother, q1, q2, kids[c + 1], taken)
        for k in range(c, min(c + 2, size)):
            _mutate(kids[k], rate, pred_ptr, pred_idx)
            if np.random.random() < shift:
                _shift(kids[k], pred_ptr, pred_idx, succ_ptr, succ_idx, pos)
            decode(kids[k], kid_starts[k], kid_fits[k], work, rounds, g)
    # Survivors: the best `size` of parents and children, one copy per schedule score
    # and first activity pair where possible (keeps some diversity).
    total = 2 * size
    keys = np.empty(total, dtype=np.float64)
    for i in range(total):
        f = fits[i] if i < size else kid_fits[i - size]
        # On a tie a child goes before its parents: new material, same quality.
        keys[i] = (f[0] * 1e6 + f[1]) * 1e6 + f[2] + (0.25 if i < size else 0.0)
    rank = np.argsort(keys, kind="mergesort")
    new_pop = np.empty_like(pop)
    new_fits = np.empty_like(fits)
    new_starts = np.empty_like(starts)
    kept = 0
    dup = np.zeros(total, dtype=np.bool_)
    for pass_ in range(2):
        for r in range(total):
            if kept == size:
                break
            i = rank[r]
            if pass_ == 0:
                # Skip an exact duplicate of the previous survivor's schedule.
                if kept > 0:
                    src = starts[i] if i < size else kid_starts[i - size]
                    same = True
                    for j in range(n):
                        if src[j] != new_starts[kept - 1, j]:
                            same = False
                            break
                    if same:
                        dup[i] = True
                        continue
            elif not dup[i]:
                continue
            if i < size:
                new_pop[kept] = pop[i]
                new_fits[kept] = fits[i]
                new_starts[kept] = starts[i]
            else:
                new_pop[kept] = kids[i - size]
                new_fits[kept] = kid_fits[i - size]
                new_starts[kept] = kid_starts[i - size]
            kept += 1
    pop[:] = new_pop
    fits[:] = new_fits
    starts[:] = new_starts

"""A genetic algorithm over activity lists, compiled with numba.

The representation and operators follow Hartmann (1998), "A competitive
genetic algorithm for resource-constrained project scheduling": an individual
is a precedence-feasible activity list decoded by the serial schedule
generation scheme; two-point crossover keeps the lists precedence-feasible; a
mutation swaps neighbours that are not precedence-related. Every child is
improved by forward-backward justification (Valls, Ballestin and Quintanilla
2005) and its list replaced by the order of the improved schedule
(Lamarckian). Survivors are the best of parents and children by the
objective; a population that stops improving is restarted around the best
individual.

The decoding kernels run as machine code (numba, ``nogil``), so tens of
thousands of schedules per second are decoded on one core; the Python loop
only checks the clock between generations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit

from pmo.engine.leveling.heuristic import make_schedule
from pmo.engine.leveling.model import Schedule
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.race import Race
from pmo.engine.leveling.sgs import priorities

__all__ = ["GaOptions", "Kernel", "evolve", "improve_ga", "warm_up"]

I64 = npt.NDArray[np.int64]
_NONE = -1
_BAD = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, slots=True, kw_only=True)
class GaOptions:
    """Tuning knobs of the genetic algorithm (the defaults are the benchmarked ones)."""

    population: int = 600
    """Individuals kept per generation (even)."""
    mutation: float = 0.0
    """Probability per list position of swapping with the next activity."""
    shift: float = 1.0
    """Probability that a child also gets one shift move (an activity moved to a
    random place between its predecessors and successors)."""
    restart_after: int = 60
    """Generations without a better best individual before a restart."""
    fbi_rounds: int = 3
    """Forward-backward rounds per child."""


class Arrays(NamedTuple):
    """The network as the compiled kernels take it (numba passes it as one struct)."""

    dur: I64
    demand: I64
    release: I64
    deadline: I64
    pinned: I64
    pred_ptr: I64
    pred_idx: I64
    pred_delta: I64
    succ_ptr: I64
    succ_idx: I64
    succ_delta: I64
    uses_ptr: I64
    uses_idx: I64
    cap: I64
    project: I64
    weights: I64
    cpm_finish: I64
    makespan_objective: bool


class Kernel:
    """The network as flat arrays for the compiled kernels."""

    __slots__ = (
        "cap",
        "cpm_finish",
        "deadline",
        "demand",
        "dur",
        "horizon",
        "makespan_objective",
        "n",
        "pinned",
        "pred_delta",
        "pred_idx",
        "pred_ptr",
        "project",
        "rank",
        "release",
        "succ_delta",
        "succ_idx",
        "succ_ptr",
        "uses_idx",
        "uses_ptr",
        "weights",
    )

    def __init__(self, net: Network) -> None:
        from pmo.engine.leveling.model import Objective

        n = net.n
        self.n = n
        self.dur: I64 = np.array(net.dur, dtype=np.int64)
        self.demand: I64 = np.ascontiguousarray(net.demand, dtype=np.int64)
        self.release: I64 = np.array(net.release, dtype=np.int64)
        self.deadline: I64 = np.array(
            [_NONE if d is None else d for d in net.deadline], dtype=np.int64
        )
        self.pinned: I64 = np.array([_NONE if p is None else p for p in net.pinned], dtype=np.int64)
        self.pred_ptr, self.pred_idx, self.pred_delta = _csr(net.pred, n)
        self.succ_ptr, self.succ_idx, self.succ_delta = _csr(net.succ, n)
        self.uses_ptr, self.uses_idx, _ = _csr([[(int(k), 0) for k in u] for u in net.uses], n)
        self.horizon = int(net.horizon)
        self.cap: I64 = np.ascontiguousarray(net.capacity(self.horizon))
        self.project: I64 = np.array(net.project, dtype=np.int64)
        self.weights: I64 = np.array(net.weights or [1], dtype=np.int64)
        self.cpm_finish: I64 = np.array(net.cpm_finish or (0,), dtype=np.int64)
        self.makespan_objective = net.problem.objective is Objective.MAKESPAN
        rank = np.empty(n, dtype=np.int64)
        rank[np.array(net.order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        self.rank: I64 = rank

    def arrays(self) -> Arrays:
        """What the kernels take."""
        return Arrays(*(getattr(self, name) for name in Arrays._fields))


def _csr(adj: list[list[tuple[int, int]]], n: int) -> tuple[I64, I64, I64]:
    ptr = np.zeros(n + 1, dtype=np.int64)
    for j in range(n):
        ptr[j + 1] = ptr[j] + len(adj[j])
    idx = np.array([i for row in adj for i, _ in row], dtype=np.int64)
    delta = np.array([d for row in adj for _, d in row], dtype=np.int64)
    return ptr, idx, delta


# --- compiled kernels -------------------------------------------------------------------


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
def _topo_by_key(key, ptr_in, ptr_out, idx_out, out):  # type: ignore[no-untyped-def]
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
def _serial(order, starts, g, avail):  # type: ignore[no-untyped-def]
    """Serial SGS of ``order`` into ``starts``; False if an activity fits nowhere.

    ``g`` is the network (:class:`Arrays`). ``avail`` is a work buffer equal to
    ``g.cap`` on entry; it is restored on exit, only over the periods used (much
    shorter than the safe horizon).
    """
    dur, demand, release, pinned = g.dur, g.demand, g.release, g.pinned
    pred_ptr, pred_idx, pred_delta = g.pred_ptr, g.pred_idx, g.pred_delta
    uses_ptr, uses_idx, cap = g.uses_ptr, g.uses_idx, g.cap
    n = dur.shape[0]
    used = 0
    ok = True
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
            ok = False
            used = avail.shape[1]
            break
        starts[j] = s
        _place(avail, demand, uses_ptr, uses_idx, j, dur[j], s)
        used = max(used, s + dur[j])
    for k in range(avail.shape[0]):
        for u in range(used):
            avail[k, u] = cap[k, u]
    return ok


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
    _topo_by_key(key, succ_ptr, pred_ptr, pred_idx, order_buf)
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
def _score(starts, g, out):  # type: ignore[no-untyped-def]
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
def _better(a, b):  # type: ignore[no-untyped-def]
    for i in range(3):
        if a[i] != b[i]:
            return a[i] < b[i]
    return False


@njit(cache=True, nogil=True)
def _decode(order, starts, fit, work, rounds, g):  # type: ignore[no-untyped-def]
    """Decode ``order``, improve it by forward-backward passes; ``order`` becomes the
    list of the best schedule (by start), ``starts`` and ``fit`` its schedule and score.
    False if the list cannot be decoded."""
    n = g.dur.shape[0]
    pred_ptr, succ_ptr, succ_idx = g.pred_ptr, g.succ_ptr, g.succ_idx
    if not _serial(order, starts, g, work):
        fit[0] = _BAD
        fit[1] = _BAD
        fit[2] = _BAD
        return False
    _score(starts, g, fit)
    right = np.empty(n, dtype=np.int64)
    trial = np.empty(n, dtype=np.int64)
    trial_order = np.empty(n, dtype=np.int64)
    buf = np.empty(n, dtype=np.int64)
    key = np.empty(n, dtype=np.float64)
    tfit = np.empty(3, dtype=np.int64)
    improved_order = False
    current = starts.copy()
    for _ in range(rounds):
        if not _backward(current, right, g, buf):
            break
        for j in range(n):
            key[j] = right[j]
        _topo_by_key(key, pred_ptr, succ_ptr, succ_idx, trial_order)
        if not _serial(trial_order, trial, g, work):
            break
        _score(trial, g, tfit)
        if not _better(tfit, fit):
            break
        for j in range(n):
            starts[j] = trial[j]
            current[j] = trial[j]
        fit[0] = tfit[0]
        fit[1] = tfit[1]
        fit[2] = tfit[2]
        improved_order = True
    if improved_order:
        for j in range(n):
            key[j] = starts[j]
        _topo_by_key(key, pred_ptr, succ_ptr, succ_idx, order)
    return True


@njit(cache=True, nogil=True)
def _seed(seed):  # type: ignore[no-untyped-def]
    np.random.seed(seed)


@njit(cache=True, nogil=True)
def _random_list(prio, spread, pred_ptr, succ_ptr, succ_idx, out):  # type: ignore[no-untyped-def]
    """A random precedence-feasible list biased towards small ``prio``."""
    n = prio.shape[0]
    key = np.empty(n, dtype=np.float64)
    for j in range(n):
        key[j] = prio[j] + spread * np.random.random()
    _topo_by_key(key, pred_ptr, succ_ptr, succ_idx, out)


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
    return b if _better(fits[b], fits[a]) else a


@njit(cache=True, nogil=True)
def _generation(  # type: ignore[no-untyped-def]
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
            _decode(kids[k], kid_starts[k], kid_fits[k], work, rounds, g)
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


# --- driver -----------------------------------------------------------------------------


def evolve(
    kernel: Kernel,
    prio: list[float],
    *,
    seeds: list[list[int]] | None = None,
    time_limit: float,
    stop_at: int | None = None,
    rng: np.random.Generator | None = None,
    options: GaOptions | None = None,
    max_schedules: int | None = None,
    race: Race | None = None,
) -> tuple[list[int], int, int]:
    """Run the genetic algorithm; return the best starts, their objective and schedules tried.

    Parameters
    ----------
    kernel : Kernel
        The compiled network.
    prio : list of float
        Priority values (smaller first) that bias the initial lists (e.g. latest finish).
    seeds : list of list of int, optional
        Known good schedules (starts), e.g. from priority rules or CP-SAT; they
        join the initial population (their start order is their list).
    time_limit : float
        Seconds.
    stop_at : int, optional
        Stop when the objective reaches this value (a lower bound).
    rng : numpy.random.Generator, optional
        Seed source (default ``default_rng(0)``).
    options : GaOptions, optional
        Tuning.
    max_schedules : int, optional
        Stop after about this many decoded schedules (for reproducible runs).
    race : Race, optional
        Shared with a concurrent CP-SAT search: its bound stops the search,
        every new best schedule is offered to it.

    Returns
    -------
    tuple
        ``(starts, objective, schedules)``; ``objective`` counts deadline
        lateness as infeasible: a schedule with lateness is returned only if no
        punctual one was found (the caller checks).
    """
    t0 = time.perf_counter()
    opts = options or GaOptions()
    rng = rng if rng is not None else np.random.default_rng(0)
    _seed(int(rng.integers(0, 2**31 - 1)))
    n = kernel.n
    size = max(2, opts.population + opts.population % 2)
    arrays = kernel.arrays()
    work = kernel.cap.copy()  # this call's availability buffer (threads do not share it)
    prio_arr = np.array(prio, dtype=np.float64)
    spread = float(prio_arr.max() - prio_arr.min() + 1.0) if n else 1.0
    pop = np.empty((size, n), dtype=np.int64)
    fits = np.empty((size, 3), dtype=np.int64)
    starts = np.empty((size, n), dtype=np.int64)
    seed_lists = []
    for s in seeds or []:
        key = np.array(s, dtype=np.float64)
        order = np.empty(n, dtype=np.int64)
        _topo_by_key(key, kernel.pred_ptr, kernel.succ_ptr, kernel.succ_idx, order)
        seed_lists.append(order)

    def fill(first: int, spread_factor: float) -> None:
        for i in range(first, size):
            if i - first < len(seed_lists) and first == 0:
                pop[i] = seed_lists[i]
            else:
                _random_list(
                    prio_arr,
                    spread * spread_factor,
                    kernel.pred_ptr,
                    kernel.succ_ptr,
                    kernel.succ_idx,
                    pop[i],
                )
            _decode(pop[i], starts[i], fits[i], work, opts.fbi_rounds, arrays)

    fill(0, 0.5)
    tried = size
    # A generation decodes as many schedules as the first population did: one
    # is not started when it would end past the limit (a generation of 600
    # schedules of 1,000 activities takes most of a second).
    step = time.perf_counter() - t0
    kids = np.empty_like(pop)
    kid_fits = np.empty_like(fits)
    kid_starts = np.empty_like(starts)
    best_i = _argbest(fits)
    best = (starts[best_i].copy(), tuple(int(v) for v in fits[best_i]))
    stale = 0
    published = _BAD
    while True:
        if best[1][0] == 0 and stop_at is not None and best[1][1] <= stop_at:
            break
        if race is not None:
            if best[1][0] == 0 and best[1][1] < published:
                published = best[1][1]
                race.offer_schedule([int(v) for v in best[0]], published)
            if race.finished or (best[1][0] == 0 and best[1][1] <= race.bound):
                break
        began = time.perf_counter()
        if began - t0 + step > time_limit:
            break
        if max_schedules is not None and tried >= max_schedules:
            break
        _generation(
            pop,
            fits,
            starts,
            kids,
            kid_fits,
            kid_starts,
            work,
            opts.mutation,
            opts.shift,
            opts.fbi_rounds,
            arrays,
        )
        tried += size
        i = _argbest(fits)
        cand = tuple(int(v) for v in fits[i])
        if cand < best[1]:
            best = (starts[i].copy(), cand)
            stale = 0
        else:
            stale += 1
        if stale >= opts.restart_after:
            # Keep the best few, draw the rest afresh with a wider spread.
            keep = max(1, size // 10)
            order = np.argsort(fits[:, 0] * 1e12 + fits[:, 1] * 1e6 + fits[:, 2], kind="stable")
            pop[:keep] = pop[order[:keep]]
            fits[:keep] = fits[order[:keep]]
            starts[:keep] = starts[order[:keep]]
            fill(keep, 1.0)
            tried += size - keep
            stale = 0
        step = time.perf_counter() - began
    return [int(v) for v in best[0]], best[1][1] if best[1][0] == 0 else -1, tried


def _argbest(fits: I64) -> int:
    return int(np.lexsort((fits[:, 2], fits[:, 1], fits[:, 0]))[0])


def improve_ga(
    net: Network,
    seeds: list[Schedule],
    *,
    time_limit: float,
    bound: int,
    rng: np.random.Generator | None = None,
    options: GaOptions | None = None,
    max_schedules: int | None = None,
    race: Race | None = None,
) -> Schedule:
    """The genetic algorithm started from ``seeds``; the best schedule, validated.

    Never worse than the best seed; stops early when it reaches ``bound``
    (or after ``max_schedules`` decoded schedules, for reproducible runs).
    """
    t0 = time.perf_counter()
    best = min(seeds, key=lambda s: (s.objective, s.makespan))
    rule = "LFT" if net.problem.objective == "makespan" else "WLFT"
    starts, objective, _ = evolve(
        Kernel(net),
        priorities(net, rule),
        seeds=[list(s.starts) for s in seeds],
        time_limit=time_limit,
        stop_at=bound,
        rng=rng,
        options=options,
        max_schedules=max_schedules,
        race=race,
    )
    if race is not None:
        bound = max(bound, race.bound)
    if objective < 0 or objective >= best.objective:
        return make_schedule(
            net, list(best.starts), max(bound, best.bound), best.solver, time.perf_counter() - t0
        )
    return make_schedule(net, starts, max(bound, best.bound), "ga", time.perf_counter() - t0)


def warm_up() -> float:
    """Compile every kernel now; return the seconds it took.

    numba compiles a kernel on its first call and caches the machine code on
    disk (``__pycache__``), so only the first run on a machine pays: 10-30 s,
    against well under a second for a cached load. ``make install`` and
    ``pmo bench rcpsp`` call this so that no solve pays it inside its time
    limit. A tiny problem with restarts after every generation reaches every
    kernel (initial lists, decoding, generations, restarts).

    Examples
    --------
    >>> warm_up() >= 0.0
    True
    """
    from pmo.engine.leveling.heuristic import solve_heuristic
    from pmo.engine.leveling.model import Activity, Precedence, Problem, Resource

    t0 = time.perf_counter()
    problem = Problem(
        resources=(Resource(name="r", capacity=2),),
        activities=tuple(
            Activity(name=f"a{i}", duration=1 + i % 3, demands=(1 + i % 2,)) for i in range(6)
        ),
        precedences=(Precedence(pred=0, succ=3), Precedence(pred=1, succ=4)),
    )
    net = Network(problem)
    rules = solve_heuristic(problem, samples=0, network=net)
    improve_ga(
        net,
        [rules],
        time_limit=600.0,
        bound=0,  # never reached: every generation runs
        rng=np.random.default_rng(0),
        options=GaOptions(population=4, restart_after=1),
        max_schedules=200,
    )
    return time.perf_counter() - t0

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

import numpy as np
from numba import njit

from pmo.engine.leveling.heuristic import make_schedule
from pmo.engine.leveling.kernels import BAD, I64, Kernel, better, decode, kernel_of, topo_by_key
from pmo.engine.leveling.model import Schedule
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.race import Race
from pmo.engine.leveling.sgs import priorities

__all__ = ["GaOptions", "evolve", "improve_ga", "warm_up"]


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
        topo_by_key(key, kernel.pred_ptr, kernel.succ_ptr, kernel.succ_idx, order)
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
            decode(pop[i], starts[i], fits[i], work, opts.fbi_rounds, arrays)

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
    published = BAD
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
        kernel_of(net),
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

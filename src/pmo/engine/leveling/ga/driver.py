"""The genetic algorithm's driver: options, the generation loop, seeding and warm-up.

The loop around the compiled operators (:mod:`pmo.engine.leveling.ga.operators`)
runs in Python and only checks the clock, the race with CP-SAT and the
restart rule between generations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from pmo.engine.leveling.ga.operators import generation, random_list, seed_random
from pmo.engine.leveling.heuristic import make_schedule
from pmo.engine.leveling.kernels import BAD, I64, Kernel, decode, kernel_of, topo_by_key
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
    seed_random(int(rng.integers(0, 2**31 - 1)))
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
                random_list(
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
        generation(
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

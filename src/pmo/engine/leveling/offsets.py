"""Project-priority search for portfolios: one priority offset per project.

A portfolio's weighted delay depends mostly on which projects get the shared
roles first, less on the order of activities inside a project. This search
keeps the priority rule's values inside each project (``WLFT`` by default:
latest finish against the project's own CPM date) and adds one offset per
project: a smaller offset moves the whole project ahead in the activity list.
Each candidate is decoded by the serial scheme and improved by
forward-backward justification (the compiled kernels, a few milliseconds for
5,000 activities), and a move is kept when the schedule is no worse (equal
moves too, so the search crosses plateaus) or, by simulated annealing, worse
with a probability that falls to nothing by the end of the search. Moves
change one project's offset, sometimes two, by a normal step of a tenth of
the priority range.

On the generated 50 x 100 portfolio of ``pmo bench portfolio-leveling`` it
finds schedules about a quarter better than the priority rules within 30 s,
where the project-group CP-SAT search finds a few percent
(``benchmarks/leveling.md``).
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np

from pmo.engine.leveling.heuristic import make_schedule
from pmo.engine.leveling.kernels import decode, kernel_of, topo_by_key
from pmo.engine.leveling.model import Schedule
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.race import Race
from pmo.engine.leveling.sgs import priorities

__all__ = ["improve_by_offsets"]

_STEP = 0.1
"""Standard deviation of a move, as a share of the priority range."""
_SECOND = 0.3
"""Probability that a move also shifts a second project."""
_TEMPERATURE = 0.001
"""Starting temperature of the annealing, as a share of the current objective."""
PATIENCE = 500
"""Moves without a better schedule after which the search gives up (on the 50 x 100
benchmark portfolio the longest run of moves between improvements was 309)."""


def improve_by_offsets(
    net: Network,
    seeds: list[Schedule],
    *,
    time_limit: float,
    rng: np.random.Generator | None = None,
    rule: str = "WLFT",
    race: Race | None = None,
    max_moves: int | None = None,
    patience: int = PATIENCE,
    workers: int = 1,
) -> Schedule:
    """Search per-project priority offsets; the best schedule found, validated.

    Never worse than the best of ``seeds``. Stops after ``time_limit``
    seconds, after ``max_moves`` moves (for reproducible runs), after
    ``patience`` moves without a better schedule (the search has converged:
    the rest of the time is better spent by the caller's exact search), when
    the objective reaches the bound of the best seed, or when ``race``
    finishes (the caller's stop).

    With ``workers`` > 1 as many independent searches run in threads (the
    decoding kernels release the GIL), each from its own random stream
    (``rng.spawn``), and the best result is kept: runs from different seeds
    end far apart (on the 50 x 100 benchmark portfolio 16,214-19,348 over 18
    seeds of 13 s), so a second search on the second core pays more than a
    longer one. ``max_moves`` and ``patience`` count per search.

    Examples
    --------
    >>> from pmo.engine.leveling.model import (
    ...     Activity, Objective, Problem, Project, Resource)
    >>> from pmo.engine.leveling.heuristic import solve_heuristic
    >>> p = Problem(
    ...     resources=(Resource(name="dev", capacity=1),),
    ...     activities=(
    ...         Activity(name="minor", duration=4, demands=(1,), project=0),
    ...         Activity(name="major", duration=2, demands=(1,), project=1),
    ...     ),
    ...     projects=(Project(name="minor", weight=1), Project(name="major", weight=8)),
    ...     objective=Objective.WEIGHTED_DELAY,
    ... )
    >>> net = Network(p)
    >>> best = improve_by_offsets(net, [solve_heuristic(p, network=net)], time_limit=5)
    >>> best.starts, best.objective
    ((2, 0), 2)
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    kernel_of(net)  # built once, before any thread needs it
    if workers <= 1:
        return _search(net, seeds, time_limit, rng, rule, race, max_moves, patience)
    box: list[Schedule | BaseException | None] = [None] * workers

    def run(i: int, stream: np.random.Generator) -> None:
        try:
            box[i] = _search(net, seeds, time_limit, stream, rule, race, max_moves, patience)
        except BaseException as exc:  # handed to the caller's thread below
            box[i] = exc

    streams = rng.spawn(workers)
    threads = [
        threading.Thread(target=run, args=(i, streams[i]), name=f"offsets-{i}", daemon=True)
        for i in range(1, workers)
    ]
    for thread in threads:
        thread.start()
    run(0, streams[0])
    for thread in threads:
        thread.join()
    found: list[Schedule] = []
    for item in box:
        if isinstance(item, BaseException):
            raise item
        assert item is not None
        found.append(item)
    return min(found, key=lambda s: (s.objective, s.makespan))


def _search(
    net: Network,
    seeds: list[Schedule],
    time_limit: float,
    rng: np.random.Generator,
    rule: str,
    race: Race | None,
    max_moves: int | None,
    patience: int,
) -> Schedule:
    """One search from ``rng``'s stream (see :func:`improve_by_offsets`)."""
    t0 = time.perf_counter()
    best_seed = min(seeds, key=lambda s: (s.objective, s.makespan))
    kernel = kernel_of(net)
    arrays = kernel.arrays()
    work = kernel.cap.copy()
    base = np.array(priorities(net, rule), dtype=np.float64)
    project = np.array(net.project, dtype=np.int64)
    # Pinned projects keep their dates: only projects with a movable activity get moves.
    movable = np.unique(project[kernel.pinned < 0])
    step = _STEP * (float(base.max() - base.min()) + 1.0) if net.n else 1.0
    order = np.empty(net.n, dtype=np.int64)
    starts = np.empty(net.n, dtype=np.int64)
    fit = np.empty(3, dtype=np.int64)

    def schedule_of(offset: np.ndarray) -> tuple[tuple[int, int, int], np.ndarray] | None:
        topo_by_key(
            base + offset[project], kernel.pred_ptr, kernel.succ_ptr, kernel.succ_idx, order
        )
        if not decode(order, starts, fit, work, 3, arrays):
            return None
        return (int(fit[0]), int(fit[1]), int(fit[2])), starts.copy()

    offset = np.zeros(max(1, len(net.weights)))
    current = schedule_of(offset) if movable.size else None
    best: tuple[tuple[int, int, int], np.ndarray] | None = current
    moves = 0
    improved_at = 0
    while current is not None and moves - improved_at < patience:
        if best is not None and best[0][0] == 0 and best[0][1] <= best_seed.bound:
            break
        elapsed = time.perf_counter() - t0
        if elapsed >= time_limit or (race is not None and race.finished):
            break
        if max_moves is not None and moves >= max_moves:
            break
        # Annealing: a worse move is taken with probability exp(-worse / temperature),
        # the temperature falling linearly from a share of the objective to 0 at the end
        # (of the moves when they are counted, for reproducible runs; else of the time).
        done = moves / max_moves if max_moves is not None else elapsed / time_limit
        temperature = _TEMPERATURE * current[0][1] * max(0.0, 1.0 - done)
        trial = offset.copy()
        trial[movable[rng.integers(movable.size)]] += rng.normal(0.0, step)
        if rng.random() < _SECOND:
            trial[movable[rng.integers(movable.size)]] += rng.normal(0.0, step)
        found = schedule_of(trial)
        moves += 1
        if found is not None and (
            found[0] <= current[0] or _accept(found[0], current[0], temperature, rng)
        ):
            offset, current = trial, found
            if best is None or found[0] < best[0]:
                best = found
                improved_at = moves
    seconds = time.perf_counter() - t0
    if best is None or best[0][0] > 0 or best[0][1] >= best_seed.objective:
        return make_schedule(
            net, list(best_seed.starts), best_seed.bound, best_seed.solver, seconds
        )
    return make_schedule(net, [int(s) for s in best[1]], best_seed.bound, "offsets", seconds)


def _accept(
    found: tuple[int, int, int],
    current: tuple[int, int, int],
    temperature: float,
    rng: np.random.Generator,
) -> bool:
    """Whether to take a worse punctual schedule (simulated annealing's rule).

    >>> rng = np.random.default_rng(0)
    >>> _accept((0, 105, 0), (0, 100, 0), 0.0, rng), _accept((1, 90, 0), (0, 100, 0), 50.0, rng)
    (False, False)
    >>> sum(_accept((0, 101, 0), (0, 100, 0), 1.0, rng) for _ in range(1000)) in range(300, 440)
    True
    """
    if temperature <= 0.0 or found[0] != 0 or current[0] != 0:
        return False
    return bool(rng.random() < math.exp(-(found[1] - current[1]) / temperature))

"""One entry point over the back-ends: ``solve(problem, backend=...)``."""

from __future__ import annotations

import threading
import time
from typing import Protocol

import numpy as np

from pmo.engine.errors import InfeasibleError, InvalidInputError
from pmo.engine.leveling.cpsat import CpSatOptions, solve_cpsat
from pmo.engine.leveling.ga import improve_ga
from pmo.engine.leveling.heuristic import make_schedule, solve_heuristic
from pmo.engine.leveling.model import Objective, Problem, Schedule
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.offsets import improve_by_offsets
from pmo.engine.leveling.race import Race, stopped_by

__all__ = ["BACKENDS", "Backend", "solve"]


class Backend(Protocol):
    """What every back-end offers: a time-limited solve returning a checked schedule."""

    def __call__(
        self,
        problem: Problem,
        *,
        time_limit: float,
        workers: int,
        rng: np.random.Generator,
        network: Network,
        stop: threading.Event | None,
    ) -> Schedule: ...


def _heuristic(
    problem: Problem,
    *,
    time_limit: float,
    workers: int,
    rng: np.random.Generator,
    network: Network,
    stop: threading.Event | None,
) -> Schedule:
    return solve_heuristic(
        problem,
        rng=rng,
        time_limit=time_limit,
        network=network,
        samples=_samples(network),
        stop=stop,
    )


def _ga(
    problem: Problem,
    *,
    time_limit: float,
    workers: int,
    rng: np.random.Generator,
    network: Network,
    stop: threading.Event | None,
) -> Schedule:
    t0 = time.perf_counter()
    rules = solve_heuristic(
        problem, rng=rng, time_limit=0.1 * time_limit, network=network, samples=0, stop=stop
    )
    if rules.status == "optimal" or _stopped(stop):
        return rules
    race = Race(rules.bound) if stop is not None else None
    with stopped_by(race, stop):
        result = improve_ga(
            network,
            [rules],
            time_limit=max(0.01, time_limit - (time.perf_counter() - t0)),
            bound=rules.bound,
            rng=rng,
            race=race,
        )
    return _elapsed(result, time.perf_counter() - t0)


def _cpsat(
    problem: Problem,
    *,
    time_limit: float,
    workers: int,
    rng: np.random.Generator,
    network: Network,
    stop: threading.Event | None,
) -> Schedule:
    """Priority rules, then CP-SAT and the genetic algorithm side by side.

    Most instances are closed by CP-SAT (its bound meets the warm start). On
    the others the genetic algorithm finds better schedules faster than
    CP-SAT's own neighbourhood search: when CP-SAT has not proven its result
    within its share of the time, its thread runs a second genetic search.
    Portfolios (weighted delay, several projects) first get up to half the
    time for the project-priority search (:mod:`pmo.engine.leveling.offsets`;
    it gives up earlier once it stops improving), whose result warm-starts the
    rest; above ``GA_MAX_ACTIVITIES`` the rest is CP-SAT's project-group search
    alone.
    """
    t0 = time.perf_counter()
    try:
        hint: Schedule | None = solve_heuristic(
            problem,
            rng=rng,
            time_limit=0.1 * time_limit,
            network=network,
            # A few samples only: CP-SAT improves a warm start faster than
            # sampling does, and on easy instances the proof is what costs.
            samples=min(10, _samples(network)),
            stop=stop,
        )
    except InfeasibleError:
        hint = None  # e.g. deadlines the heuristic cannot meet: CP-SAT starts cold
    if hint is not None and (hint.status == "optimal" or _stopped(stop)):
        return hint
    seed = int(rng.integers(0, 2**31 - 1))
    left = max(0.05, time_limit - (time.perf_counter() - t0))
    if hint is not None and _portfolio(problem) and left >= 0.2:
        # Portfolios: which project goes first matters most. The project-priority
        # search finds that fast; the searches below polish its result.
        first = Race(hint.bound) if stop is not None else None
        with stopped_by(first, stop):
            hint = improve_by_offsets(
                network,
                [hint],
                time_limit=left * _OFFSET_SHARE,
                rng=np.random.default_rng(seed),
                race=first,
                workers=workers,
            )
        if hint.status == "optimal" or _stopped(stop):
            return _elapsed(hint, time.perf_counter() - t0)
        left = max(0.05, time_limit - (time.perf_counter() - t0))
    if hint is None or network.n > GA_MAX_ACTIVITIES or left < 0.2:
        alone = Race(hint.bound if hint is not None else 0) if stop is not None else None
        with stopped_by(alone, stop):
            result = solve_cpsat(
                problem,
                hint=hint,
                time_limit=left,
                workers=workers,
                options=CpSatOptions(seed=seed),
                network=network,
                race=alone,
            )
        return _elapsed(result, time.perf_counter() - t0)
    # CP-SAT in a thread, the genetic algorithm here, both until one proves
    # the other's best optimal or time is up.
    race = Race(hint.bound)
    box: list[Schedule | BaseException] = []

    def exact() -> None:
        try:
            found = solve_cpsat(
                problem,
                hint=hint,
                time_limit=left * _EXACT_SHARE,
                workers=max(1, workers - 1),
                options=CpSatOptions(seed=seed, lns_share=0.0),
                network=network,
                race=race,
            )
            box.append(found)
            rest = left - (time.perf_counter() - t_race)
            if found.status != "optimal" and not race.finished and rest > 0.05:
                # Not proven by now: the proof is unlikely, and a second genetic
                # search finds better schedules than CP-SAT's neighbourhood search.
                again = improve_ga(
                    network,
                    [found],
                    time_limit=rest,
                    bound=found.bound,
                    rng=np.random.default_rng(seed),
                    race=race,
                )
                if again.objective < found.objective:
                    box[0] = again
        except BaseException as exc:  # handed to the caller's thread below
            box.append(exc)
        finally:
            race.finish()

    t_race = time.perf_counter()
    thread = threading.Thread(target=exact, name="cpsat", daemon=True)
    thread.start()
    try:
        with stopped_by(race, stop):
            evolved = improve_ga(
                network,
                [hint],
                time_limit=left,
                bound=hint.bound,
                rng=rng,
                race=race,
            )
    finally:
        race.finish()
        thread.join()
    found = box[0]
    if isinstance(found, BaseException):
        raise found
    if len(box) > 1 and isinstance(box[1], BaseException):
        raise box[1]
    result = min((found, evolved), key=lambda s: (s.objective, s.solver != "cpsat"))
    bound = max(found.bound, evolved.bound, race.bound)
    if found.status == "optimal":
        bound = found.objective
    result = make_schedule(network, list(result.starts), bound, result.solver, 0.0)
    return _elapsed(result, time.perf_counter() - t0)


GA_MAX_ACTIVITIES = 1000
"""The genetic algorithm runs beside CP-SAT up to this many activities."""
_EXACT_SHARE = 0.5
"""Share of the time CP-SAT gets to prove optimality before its thread turns genetic."""


_OFFSET_SHARE = 0.5
"""Most of the time the project-priority search gets on portfolios (weighted delay)."""


def _portfolio(problem: Problem) -> bool:
    return problem.objective is Objective.WEIGHTED_DELAY and len(problem.projects) > 1


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _samples(net: Network) -> int:
    # Sampling pays for small instances; big portfolios get the rules only.
    return 100 if net.n <= 200 else (10 if net.n <= 1000 else 0)


def _elapsed(s: Schedule, seconds: float) -> Schedule:
    from dataclasses import replace

    return replace(s, seconds=seconds)


BACKENDS: dict[str, Backend] = {"heuristic": _heuristic, "ga": _ga, "cpsat": _cpsat}
"""Back-ends by name."""


def solve(
    problem: Problem,
    *,
    backend: str = "cpsat",
    time_limit: float = 10.0,
    workers: int = 2,
    rng: np.random.Generator | None = None,
    stop: threading.Event | None = None,
) -> Schedule:
    """Level ``problem``: the best schedule a back-end finds within ``time_limit`` seconds.

    ``cpsat`` runs the heuristic first (warm start, horizon) and returns at
    once when it meets the lower bound; ``heuristic`` runs only the
    priority-rule heuristic. Every returned schedule has passed the validator.

    Parameters
    ----------
    problem : Problem
        The problem.
    backend : {"cpsat", "ga", "heuristic"}
        Which back-end: ``heuristic`` = priority rules with sampling and
        justification; ``ga`` = the genetic algorithm seeded by the rules;
        ``cpsat`` = rules, for portfolios the project-priority search, then
        CP-SAT and the genetic algorithm side by side.
    time_limit : float
        Seconds.
    workers : int
        Threads: CP-SAT's workers, and on portfolios as many independent
        project-priority searches (the best is kept).
    rng : numpy.random.Generator, optional
        Randomness for sampling and the CP-SAT seed (default ``default_rng(0)``).
    stop : threading.Event, optional
        Set it (from another thread) to end the solve early: the best schedule found
        so far is returned within about a second (at once in the searches, after the
        current round in the project-group search of big portfolios).

    Returns
    -------
    Schedule

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="dev", capacity=1),),
    ...     activities=(
    ...         Activity(name="spec", duration=2, demands=(1,)),
    ...         Activity(name="build", duration=3, demands=(1,)),
    ...         Activity(name="test", duration=1, demands=(0,)),
    ...     ),
    ...     precedences=(Precedence(pred=0, succ=1), Precedence(pred=1, succ=2, lag=1)),
    ... )
    >>> s = solve(p, time_limit=5)
    >>> s.starts, s.objective, s.status
    ((0, 2, 6), 7, <Status.OPTIMAL: 'optimal'>)
    """
    if backend not in BACKENDS:
        raise InvalidInputError(f"backend: expected one of {sorted(BACKENDS)}, got {backend!r}")
    if time_limit <= 0:
        raise InvalidInputError("time_limit: must be > 0")
    net = Network(problem)
    return BACKENDS[backend](
        problem,
        time_limit=time_limit,
        workers=workers,
        rng=rng if rng is not None else np.random.default_rng(0),
        network=net,
        stop=stop,
    )

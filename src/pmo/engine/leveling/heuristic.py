"""The priority-rule heuristic back-end: rules x schemes, biased sampling, justification."""

from __future__ import annotations

import threading
import time

import numpy as np

from pmo.engine.errors import InfeasibleError
from pmo.engine.leveling.check import check_schedule
from pmo.engine.leveling.model import Objective, Problem, Schedule, Status
from pmo.engine.leveling.network import Network, lower_bound
from pmo.engine.leveling.sgs import activity_list, justify, parallel_sgs, priorities, serial_sgs

__all__ = ["solve_heuristic"]


def solve_heuristic(
    problem: Problem,
    *,
    rng: np.random.Generator | None = None,
    samples: int = 100,
    rules: tuple[str, ...] | None = None,
    time_limit: float | None = None,
    network: Network | None = None,
    stop: threading.Event | None = None,
) -> Schedule:
    """Best schedule of priority rules and biased random sampling, each justified.

    Every rule is decoded with the serial and the parallel scheme; then
    ``samples`` activity lists are drawn by regret-based biased random
    sampling around the first rule (serial and parallel alternately). Each
    schedule goes through forward-backward improvement; the best by
    (objective, makespan) is returned, checked by the validator.

    Parameters
    ----------
    problem : Problem
        The problem.
    rng : numpy.random.Generator, optional
        Source of randomness for sampling; ``None`` means
        ``numpy.random.default_rng(0)``. The result is deterministic for a
        given generator state unless ``time_limit`` cuts the search short.
    samples : int
        Number of randomised schedules after the deterministic rules.
    rules : tuple of str, optional
        Rules to use (default: ``LFT, LST, MTS, GRPW`` for makespan and
        ``WLFT, LFT, LST, MTS`` for the weighted delay).
    time_limit : float, optional
        Stop after this many seconds, once the first rule has been decoded by
        both schemes (a rule and both schemes on 5,000 activities take tens of
        milliseconds, so this bites only on very large networks).
    network : Network, optional
        A precompiled network of ``problem``.
    stop : threading.Event, optional
        When set, return the best schedule so far (after the first one).

    Returns
    -------
    Schedule
        ``bound`` is the makespan lower bound (or 0 for the weighted delay).

    Raises
    ------
    InfeasibleError
        If no schedule meeting the deadlines was found.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=2),),
    ...     activities=(
    ...         Activity(name="a", duration=3, demands=(2,)),
    ...         Activity(name="b", duration=2, demands=(1,)),
    ...         Activity(name="c", duration=2, demands=(1,)),
    ...     ),
    ...     precedences=(Precedence(pred=1, succ=2),),
    ... )
    >>> s = solve_heuristic(p, samples=5)
    >>> s.objective, s.bound, s.status
    (7, 5, <Status.FEASIBLE: 'feasible'>)
    """
    t0 = time.perf_counter()
    net = network or Network(problem)
    rng = rng if rng is not None else np.random.default_rng(0)
    if rules is None:
        if problem.objective is Objective.MAKESPAN:
            rules = ("LFT", "LST", "MTS", "GRPW")
        else:
            rules = ("WLFT", "LFT", "LST", "MTS")
    bound = lower_bound(net) if problem.objective is Objective.MAKESPAN else 0
    best: list[int] | None = None
    best_key = (0, 0)

    def offer(starts: list[int]) -> bool:
        nonlocal best, best_key
        starts = justify(net, starts)
        if _late(net, starts):
            return False
        obj, makespan, _, _ = net.evaluate(starts)
        if best is None or (obj, makespan) < best_key:
            best, best_key = starts, (obj, makespan)
        return best_key[0] <= bound

    def stopped(decoded: int) -> bool:
        # Once a schedule is in hand, the caller's stop ends the search; the time
        # limit does once the first rule has been decoded by both schemes (on big,
        # tight networks the parallel scheme is often the better one).
        if best is None:
            return False
        late = time_limit is not None and decoded >= 2 and time.perf_counter() - t0 > time_limit
        return late or (stop is not None and stop.is_set())

    done = False
    prios = [priorities(net, r) for r in rules]
    decoded = 0
    for prio in prios:
        for decode in ("serial", "parallel"):
            if stopped(decoded):
                done = True
                break
            starts = (
                serial_sgs(net, activity_list(net, prio))
                if decode == "serial"
                else parallel_sgs(net, prio)
            )
            decoded += 1
            if offer(starts):
                done = True
                break
        if done:
            break
    for k in range(samples if not done else 0):
        if stopped(decoded):
            break
        prio = prios[k % len(prios)]
        if k % 2 == 0:
            starts = serial_sgs(net, activity_list(net, prio, rng))
        else:
            noise = rng.random(net.n)
            span = (max(prio) - min(prio) + 1.0) if prio else 1.0
            starts = parallel_sgs(
                net, [p + span * 0.3 * x for p, x in zip(prio, noise, strict=True)]
            )
        if offer(starts):
            break
    if best is None:
        raise InfeasibleError("the heuristic found no schedule meeting every deadline")
    return make_schedule(net, best, bound, "heuristic", time.perf_counter() - t0)


def _late(net: Network, starts: list[int]) -> bool:
    return any(
        dl is not None and s + d > dl
        for s, d, dl in zip(starts, net.dur, net.deadline, strict=True)
    )


def make_schedule(
    net: Network, starts: list[int], bound: int, solver: str, seconds: float
) -> Schedule:
    """Validate ``starts`` and wrap them in a :class:`Schedule`.

    Raises
    ------
    InvalidScheduleError
        If ``starts`` breaks a constraint (a back-end bug).
    """
    # A violation here is a bug in a back-end, never the user's fault.
    check_schedule(net.problem, starts)
    obj, makespan, finish, delay = net.evaluate(starts)
    bound = min(bound, obj)
    return Schedule(
        starts=tuple(int(s) for s in starts),
        objective=obj,
        bound=bound,
        status=Status.OPTIMAL if obj == bound else Status.FEASIBLE,
        solver=solver,
        seconds=seconds,
        makespan=makespan,
        project_finish=tuple(finish),
        project_delay=tuple(delay),
    )

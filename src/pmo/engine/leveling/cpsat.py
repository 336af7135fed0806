"""The exact/anytime back-end on OR-Tools CP-SAT.

The model: one fixed-size interval per activity with start domains cut to the
time windows implied by an upper bound (the heuristic's schedule, given as a
hint), one cumulative per resource (capacity profiles become fixed
"blocker" intervals), start-to-start precedence lags, and redundant
constraints that strengthen propagation: a no-overlap per clique of
activities that pairwise cannot run together, and the makespan lower bound
(critical path, energy, cliques).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from pmo.engine.errors import EngineError, InfeasibleError
from pmo.engine.leveling.heuristic import make_schedule
from pmo.engine.leveling.model import Objective, Problem, Schedule, Status
from pmo.engine.leveling.network import Network, conflicts, energy_bounds, lower_bound
from pmo.engine.leveling.race import Race

__all__ = ["CpSatOptions", "solve_cpsat"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CpSatOptions:
    """Tuning knobs of the CP-SAT back-end (the defaults are the benchmarked ones)."""

    cliques: bool = True
    """Add a no-overlap constraint per clique of pairwise incompatible activities."""
    max_cliques: int = 200
    """At most this many clique constraints."""
    lns_share: float = 0.5
    """Share of the time limit given, after the full search, to LNS-only search
    (only with a hint, and only when the full search has not proven optimality)."""
    decompose_above: int = 1000
    """Portfolios (weighted delay) with more activities than this are improved
    project group by project group (see :mod:`pmo.engine.leveling.decompose`)."""
    sgs_branching: bool = False
    """Declare an SGS-like decision strategy (earliest start first, at its minimum),
    used by CP-SAT's ``fixed`` subsolver."""
    energy: bool = True
    """Add precedence-energy bounds (work before / after each activity)."""
    seed: int = 0
    """CP-SAT's ``random_seed``."""
    extra: tuple[tuple[str, Any], ...] = ()
    """Further CP-SAT parameters, as ``(name, value)`` pairs."""


def _import_cp_model() -> Any:
    try:
        from ortools.sat.python import cp_model
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EngineError(
            "the CP-SAT back-end needs OR-Tools: pip install 'ortools>=9.11'"
        ) from exc
    return cp_model


def solve_cpsat(
    problem: Problem,
    *,
    hint: Schedule | None = None,
    time_limit: float = 10.0,
    workers: int = 2,
    options: CpSatOptions | None = None,
    network: Network | None = None,
    race: Race | None = None,
) -> Schedule:
    """Solve with CP-SAT within ``time_limit`` seconds; return the best schedule found.

    Parameters
    ----------
    problem : Problem
        The problem.
    hint : Schedule, optional
        A valid schedule (usually the heuristic's): it bounds the horizon and
        seeds the search. Without it the horizon is the network's safe bound.
    time_limit : float
        Wall-clock limit in seconds.
    workers : int
        CP-SAT search workers (threads).
    options : CpSatOptions, optional
        Model and search tuning.
    network : Network, optional
        A precompiled network of ``problem``.
    race : Race, optional
        Shared with a concurrent search (the genetic algorithm): CP-SAT
        offers it every bound and schedule, and stops when the race ends.

    Returns
    -------
    Schedule
        The best schedule (the hint if CP-SAT found nothing better), the best
        proven bound and the status.

    Raises
    ------
    InfeasibleError
        If CP-SAT proves that no schedule exists, or finds none in time and
        there is no hint.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=3),),
    ...     activities=(
    ...         Activity(name="a", duration=2, demands=(2,)),
    ...         Activity(name="b", duration=2, demands=(2,)),
    ...         Activity(name="c", duration=4, demands=(1,)),
    ...     ),
    ... )
    >>> s = solve_cpsat(p, time_limit=5, workers=1)
    >>> s.objective, s.status
    (4, <Status.OPTIMAL: 'optimal'>)
    """
    _import_cp_model()  # a first import can take seconds: not part of the budget
    t0 = time.perf_counter()
    net = network or Network(problem)
    opts = options or CpSatOptions()
    lb = lower_bound(net) if problem.objective is Objective.MAKESPAN else 0
    if hint is not None and hint.objective <= lb:
        return make_schedule(net, list(hint.starts), lb, hint.solver, time.perf_counter() - t0)
    if (
        hint is not None
        and problem.objective is Objective.WEIGHTED_DELAY
        and net.n > opts.decompose_above
        and len(problem.projects) > 1
    ):
        from pmo.engine.leveling.decompose import improve_by_projects

        result = improve_by_projects(
            net,
            hint,
            time_limit=time_limit - (time.perf_counter() - t0),
            workers=workers,
            rng=np.random.default_rng(opts.seed),
            race=race,
        )
        return _elapsed(result, time.perf_counter() - t0)
    # Big models (portfolios) are never proven optimal in a few minutes: there
    # the neighbourhood search gets nearly all the time.
    share = opts.lns_share if net.n <= 1000 else max(opts.lns_share, 0.9)
    first = time_limit * (1.0 - share) if hint is not None else time_limit
    result = _solve_once(net, hint, first, workers, opts, lb, lns_only=False, race=race)
    left = time_limit - (time.perf_counter() - t0)
    if (
        result.status is not Status.OPTIMAL
        and left > 0.05
        and opts.lns_share > 0
        and not (race and race.finished)
    ):
        # The full search has not closed the gap: spend the rest on
        # large-neighbourhood search only, from the best schedule so far.
        if (
            race is not None
            and race.best_starts is not None
            and race.best_objective is not None
            and race.best_objective < result.objective
        ):
            result = make_schedule(net, race.best_starts, result.bound, "ga", result.seconds)
        result = _solve_once(
            net, result, left, workers, opts, result.bound, lns_only=True, race=race
        )
    return _elapsed(result, time.perf_counter() - t0)


def _elapsed(s: Schedule, seconds: float) -> Schedule:
    return Schedule(
        starts=s.starts,
        objective=s.objective,
        bound=s.bound,
        status=s.status,
        solver=s.solver,
        seconds=seconds,
        makespan=s.makespan,
        project_finish=s.project_finish,
        project_delay=s.project_delay,
    )


def _solve_once(
    net: Network,
    hint: Schedule | None,
    time_limit: float,
    workers: int,
    opts: CpSatOptions,
    lb: int,
    *,
    lns_only: bool,
    race: Race | None = None,
) -> Schedule:
    t0 = time.perf_counter()
    cp_model = _import_cp_model()
    problem = net.problem
    makespan_obj = problem.objective is Objective.MAKESPAN
    if hint is not None and hint.objective <= lb:
        return make_schedule(net, list(hint.starts), lb, hint.solver, time.perf_counter() - t0)
    model = cp_model.CpModel()
    n = net.n
    horizon = hint.makespan if (hint is not None and makespan_obj) else net.horizon
    latest = [horizon - t for t in net.tail]
    if not makespan_obj and hint is not None:
        # No project may finish later than its weighted-delay budget allows.
        for j in range(n):
            w = net.weights[net.project[j]]
            if w > 0:
                budget = net.cpm_finish[net.project[j]] + hint.objective // w
                latest[j] = min(latest[j], budget - net.dur[j])
    for j in range(n):
        dl = net.deadline[j]
        if dl is not None:
            latest[j] = min(latest[j], dl - net.dur[j])
    head, rest = energy_bounds(net) if opts.energy else ([], [])
    starts = []
    for j in range(n):
        if net.pinned[j] is not None:
            starts.append(model.new_constant(net.pinned[j]))
            continue
        if latest[j] < net.es[j]:
            raise InfeasibleError(f"activity {problem.activities[j].name!r} has no time window")
        lo = max(net.es[j], head[j]) if head else net.es[j]
        if makespan_obj and rest:
            latest[j] = min(latest[j], horizon - rest[j])
        if latest[j] < lo:
            raise InfeasibleError(f"activity {problem.activities[j].name!r} has no time window")
        starts.append(model.new_int_var(lo, latest[j], f"s{j}"))
    intervals = [
        model.new_fixed_size_interval_var(starts[j], net.dur[j], f"i{j}") for j in range(n)
    ]
    for i in range(n):
        for j, delta in net.succ[i]:
            model.add(starts[j] >= starts[i] + delta)
    for k, r in enumerate(problem.resources):
        users = [j for j in range(n) if net.demand[j, k] > 0 and net.dur[j] > 0]
        if not users:
            continue
        cap = r.max_capacity
        items = [intervals[j] for j in users]
        demands = [int(net.demand[j, k]) for j in users]
        if r.windows:
            # A capacity profile is the largest capacity minus fixed blockers.
            profile = net.capacity(horizon)[k]
            t = 0
            while t < horizon:
                u = t
                while u < horizon and profile[u] == profile[t]:
                    u += 1
                if profile[t] < cap:
                    items.append(model.new_fixed_size_interval_var(t, u - t, f"b{k}_{t}"))
                    demands.append(cap - int(profile[t]))
                t = u
        if sum(demands) > cap:
            model.add_cumulative(items, demands, cap)
    if opts.cliques and net.m:
        for clique in _cliques(net, opts.max_cliques):
            model.add_no_overlap([intervals[j] for j in clique])

    ends = [starts[j] + net.dur[j] for j in range(n)]
    sinks = [j for j in range(n) if not net.succ[j]] or list(range(n))
    if makespan_obj:
        cmax = model.new_int_var(lb, max(horizon, lb), "makespan")
        for j in sinks:
            model.add(cmax >= ends[j])
        for j in range(n):
            if net.succ[j] and any(delta < net.dur[j] for _, delta in net.succ[j]):
                model.add(cmax >= ends[j])
            if rest and rest[j] > net.tail[j] and net.pinned[j] is None:
                model.add(cmax >= starts[j] + rest[j])
        model.minimize(cmax)
    else:
        terms = []
        for p, w in enumerate(net.weights):
            members = [j for j in range(n) if net.project[j] == p]
            if not members or w == 0:
                continue
            delay = model.new_int_var(0, net.horizon, f"delay{p}")
            for j in members:
                model.add(delay >= ends[j] - net.cpm_finish[p])
            terms.append(w * delay)
        model.minimize(sum(terms))
    if hint is not None:
        for j in range(n):
            if net.pinned[j] is None:
                model.add_hint(starts[j], hint.starts[j])
    if opts.sgs_branching:
        model.add_decision_strategy(
            [starts[j] for j in range(n) if net.pinned[j] is None],
            cp_model.CHOOSE_LOWEST_MIN,
            cp_model.SELECT_MIN_VALUE,
        )

    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.01, time_limit - (time.perf_counter() - t0))
    prm.num_workers = max(1, workers)
    prm.random_seed = opts.seed
    prm.use_lns_only = lns_only
    for name, value in opts.extra:
        if isinstance(value, list | tuple):
            getattr(prm, name).extend(value)
        else:
            setattr(prm, name, value)
    if race is None:
        status = solver.solve(model)
    else:
        solver.best_bound_callback = lambda b: race.offer_bound(int(np.ceil(b - 1e-6)))
        race.attach(solver)
        try:
            status = solver.solve(model, _Reporter(cp_model, starts, race, net))
        finally:
            race.detach()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = [int(solver.value(s)) for s in starts]
        bound = max(lb, int(np.ceil(solver.best_objective_bound - 1e-6)))
        result = make_schedule(net, found, bound, "cpsat", time.perf_counter() - t0)
        if hint is not None and hint.objective < result.objective:
            result = make_schedule(net, list(hint.starts), bound, hint.solver, result.seconds)
        if status == cp_model.OPTIMAL and result.status is not Status.OPTIMAL:
            result = _with_bound(result, result.objective)
        return result
    if status == cp_model.INFEASIBLE:
        if hint is not None:  # the hint is feasible, so only our cuts can clash: optimal
            return make_schedule(
                net, list(hint.starts), hint.objective, hint.solver, time.perf_counter() - t0
            )
        raise InfeasibleError("CP-SAT proved that no schedule meets the constraints")
    if hint is not None:
        return make_schedule(net, list(hint.starts), lb, hint.solver, time.perf_counter() - t0)
    raise InfeasibleError("CP-SAT found no schedule within the time limit")


def _Reporter(cp_model: Any, starts: list[Any], race: Race, net: Network) -> Any:
    """A solution callback offering every CP-SAT schedule to the race."""

    class Reporter(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            found = [int(self.value(v)) for v in starts]
            race.offer_schedule(found, net.evaluate(found)[0])

    return Reporter()


def _with_bound(s: Schedule, bound: int) -> Schedule:
    return Schedule(
        starts=s.starts,
        objective=s.objective,
        bound=bound,
        status=Status.OPTIMAL if s.objective == bound else Status.FEASIBLE,
        solver=s.solver,
        seconds=s.seconds,
        makespan=s.makespan,
        project_finish=s.project_finish,
        project_delay=s.project_delay,
    )


def _cliques(net: Network, limit: int) -> list[list[int]]:
    """Greedy cover of the 'cannot overlap' graph by cliques of size >= 2."""
    if net.n > 1000:  # quadratic memory and time; big portfolios go without
        return []
    dur = np.array(net.dur)
    active = dur > 0
    clash = conflicts(net) & active[:, None] & active[None, :]
    np.fill_diagonal(clash, False)
    uncovered = clash.copy()
    out: list[list[int]] = []
    while len(out) < limit and uncovered.any():
        degree = uncovered.sum(axis=1)
        seed = int(np.argmax(degree))
        clique = [seed]
        cand = clash[seed].copy()
        while cand.any():
            score = np.where(cand, uncovered[clique].sum(axis=0) * 1000 + dur, -1)
            j = int(np.argmax(score))
            clique.append(j)
            cand &= clash[j]
        for a in clique:
            for b in clique:
                uncovered[a, b] = False
        out.append(clique)
    return out

"""Project-by-project large-neighbourhood search for big portfolios.

A portfolio of thousands of activities is too big for CP-SAT to improve in a
few minutes, but a handful of projects is not. Each round keeps every other
project where it is (its use of the roles becomes a capacity profile, its
links to the chosen projects become releases and deadlines), re-solves the
chosen projects exactly with CP-SAT for a short time, and keeps the result
when the whole portfolio's objective improves.
"""

from __future__ import annotations

import itertools
import time

import numpy as np

from pmo.engine.leveling.model import (
    Activity,
    CapacityWindow,
    Precedence,
    Problem,
    Project,
    Resource,
    Schedule,
)
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.race import Race

__all__ = ["improve_by_projects", "subproblem"]


def subproblem(
    net: Network, starts: list[int] | tuple[int, ...], chosen: list[int]
) -> tuple[Problem, list[int]]:
    """The problem of the ``chosen`` projects with every other activity fixed at ``starts``.

    Returns the sub-problem and the original index of each of its activities.

    Examples
    --------
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=2),),
    ...     activities=(
    ...         Activity(name="a", duration=2, demands=(1,), project=0),
    ...         Activity(name="b", duration=2, demands=(2,), project=1),
    ...     ),
    ...     projects=(Project(name="A"), Project(name="B")),
    ... )
    >>> sub, index = subproblem(Network(p), [0, 2], [1])
    >>> index, sub.resources[0].windows
    ([1], (CapacityWindow(start=0, end=2, capacity=1),))
    """
    problem = net.problem
    keep = set(chosen)
    inside = [j for j in range(net.n) if net.project[j] in keep]
    local = {j: i for i, j in enumerate(inside)}
    fixed = [j for j in range(net.n) if net.project[j] not in keep]
    end = max([0, *(starts[j] + net.dur[j] for j in fixed)])
    end = max([end, *(w.end for r in problem.resources for w in r.windows)])
    avail = net.capacity(end + 1)
    for j in fixed:
        if net.dur[j] and net.uses[j].size:
            u = net.uses[j]
            avail[u, starts[j] : starts[j] + net.dur[j]] -= net.demand[j, u][:, None]
    resources = []
    for k, r in enumerate(problem.resources):
        row = avail[k]
        windows: list[CapacityWindow] = []
        change = np.flatnonzero(np.diff(row)) + 1
        bounds = [0, *change.tolist(), len(row)]
        for a, b in itertools.pairwise(bounds):
            if row[a] != r.capacity and b > a:
                windows.append(CapacityWindow(start=a, end=b, capacity=int(row[a])))
        resources.append(Resource(name=r.name, capacity=r.capacity, windows=tuple(windows)))
    release = {j: net.release[j] for j in inside}
    deadline = {j: net.deadline[j] for j in inside}
    precedences = []
    for j in inside:
        for i, delta in net.pred[j]:
            if i not in local:
                release[j] = max(release[j], starts[i] + delta)
        for s, delta in net.succ[j]:
            if s not in local:
                latest_finish = starts[s] - delta + net.dur[j]
                old = deadline[j]
                deadline[j] = latest_finish if old is None else min(old, latest_finish)
    for e in problem.precedences:
        if e.pred in local and e.succ in local:
            precedences.append(
                Precedence(pred=local[e.pred], succ=local[e.succ], lag=e.lag, kind=e.kind)
            )
    remap = {p: i for i, p in enumerate(chosen)}
    activities = tuple(
        Activity(
            name=problem.activities[j].name,
            duration=net.dur[j],
            demands=problem.activities[j].demands,
            project=remap[net.project[j]],
            release=release[j],
            deadline=deadline[j],
            pinned_start=net.pinned[j],
        )
        for j in inside
    )
    projects = tuple(
        Project(
            name=problem.projects[p].name,
            weight=problem.projects[p].weight,
            pinned=problem.projects[p].pinned,
        )
        for p in chosen
    )
    sub = Problem(
        resources=tuple(resources),
        activities=activities,
        precedences=tuple(precedences),
        projects=projects,
        objective=problem.objective,
    )
    return sub, inside


def improve_by_projects(
    net: Network,
    incumbent: Schedule,
    *,
    time_limit: float,
    workers: int = 2,
    rng: np.random.Generator | None = None,
    group: int = 5,
    round_limit: float = 3.0,
    race: Race | None = None,
) -> Schedule:
    """Improve ``incumbent`` by re-solving ``group`` projects at a time with CP-SAT.

    Projects are drawn with probability growing with their weighted delay.
    The result is never worse than ``incumbent``; its ``bound`` is the
    incumbent's (no global bound is proven here). A finished ``race`` (the
    caller stopped the solve) ends the search after the current round.
    """
    from pmo.engine.leveling.cpsat import CpSatOptions, solve_cpsat
    from pmo.engine.leveling.heuristic import make_schedule

    t0 = time.perf_counter()
    rng = rng if rng is not None else np.random.default_rng(0)
    best = list(incumbent.starts)
    best_obj = incumbent.objective
    nproj = len(net.weights)
    group = min(group, nproj)
    members = [[j for j in range(net.n) if net.project[j] == p] for p in range(nproj)]
    while time.perf_counter() - t0 < time_limit - 0.5 and not (race and race.finished):
        _, _, _, delay = net.evaluate(best)
        score = np.array([w * d + 1.0 for w, d in zip(net.weights, delay, strict=True)])
        seed = int(rng.choice(nproj, p=score / score.sum()))
        # The projects that compete with the seed: work on its roles while it runs.
        lo = min((best[j] for j in members[seed]), default=0)
        hi = max((best[j] + net.dur[j] for j in members[seed]), default=0)
        roles = net.demand[members[seed]].sum(axis=0) > 0
        overlap = np.full(nproj, 0.05)
        for q in range(nproj):
            if q != seed:
                for j in members[q]:
                    if best[j] < hi and best[j] + net.dur[j] > lo:
                        overlap[q] += float(net.demand[j, roles].sum()) * net.dur[j]
        overlap[seed] = 0.0
        others = rng.choice(nproj, size=group - 1, replace=False, p=overlap / overlap.sum())
        chosen = sorted([seed, *(int(q) for q in others)])
        sub, index = subproblem(net, best, chosen)
        sub_net = Network(sub)
        hint = make_schedule(sub_net, [best[j] for j in index], 0, "incumbent", 0.0)
        left = time_limit - (time.perf_counter() - t0)
        found = solve_cpsat(
            sub,
            hint=hint,
            time_limit=max(0.2, min(round_limit, left - 0.3)),
            workers=workers,
            options=CpSatOptions(seed=int(rng.integers(0, 2**31 - 1)), lns_share=0.5),
            network=sub_net,
        )
        trial = list(best)
        for i, j in enumerate(index):
            trial[j] = found.starts[i]
        obj = net.evaluate(trial)[0]
        if obj <= best_obj:  # equal moves too: they open new neighbourhoods
            best, best_obj = trial, obj
    return make_schedule(net, best, incumbent.bound, "cpsat", time.perf_counter() - t0)

"""Project-group neighbourhood search on portfolios."""

from __future__ import annotations

import numpy as np

from pmo.engine.leveling import (
    Activity,
    CpSatOptions,
    Objective,
    Precedence,
    Problem,
    Project,
    Resource,
    check_schedule,
    solve_cpsat,
    solve_heuristic,
)
from pmo.engine.leveling.decompose import subproblem
from pmo.engine.leveling.network import Network


def _portfolio() -> Problem:
    rng = np.random.default_rng(3)
    acts = []
    precs = []
    for p in range(4):
        for t in range(6):
            acts.append(
                Activity(
                    name=f"{p}-{t}",
                    duration=int(rng.integers(1, 5)),
                    demands=(int(rng.integers(0, 3)), int(rng.integers(0, 3))),
                    project=p,
                )
            )
            if t:
                precs.append(Precedence(pred=p * 6 + t - 1, succ=p * 6 + t))
    # a link across projects becomes a release/deadline in sub-problems
    precs.append(Precedence(pred=2, succ=9, lag=1))
    return Problem(
        resources=(Resource(name="a", capacity=2), Resource(name="b", capacity=3)),
        activities=tuple(acts),
        precedences=tuple(precs),
        projects=tuple(Project(name=f"P{p}", weight=w) for p, w in enumerate([1, 4, 2, 8])),
        objective=Objective.WEIGHTED_DELAY,
    )


def test_subproblem_keeps_the_rest_fixed() -> None:
    p = _portfolio()
    net = Network(p)
    h = solve_heuristic(p, samples=3)
    sub, index = subproblem(net, h.starts, [1, 3])
    assert index == list(range(6, 12)) + list(range(18, 24))
    # activity 9 (project 1) must start after 2 (project 0, fixed) + its duration + 1
    assert sub.activities[3].release >= h.starts[2] + p.activities[2].duration + 1
    # the incumbent restricted to the chosen projects is valid for the sub-problem
    check_schedule(sub, [h.starts[j] for j in index])


def test_decomposition_never_worsens_the_heuristic() -> None:
    p = _portfolio()
    h = solve_heuristic(p, samples=3)
    s = solve_cpsat(p, hint=h, time_limit=3, workers=1, options=CpSatOptions(decompose_above=0))
    check_schedule(p, s.starts)
    assert s.objective <= h.objective

"""Generated portfolios shared by the leveling tests."""

from __future__ import annotations

import numpy as np

from pmo.engine.leveling import Activity, Objective, Precedence, Problem, Project, Resource


def chain_portfolio(projects: int, tasks: int, seed: int) -> Problem:
    """A chain of tasks per project on three shared roles (capacity 4); weights 1-5."""
    rng = np.random.default_rng(seed)
    acts, precs = [], []
    for p in range(projects):
        for t in range(tasks):
            k = p * tasks + t
            acts.append(
                Activity(
                    name=f"{p}-{t}",
                    duration=int(rng.integers(1, 6)),
                    demands=tuple(int(rng.integers(0, 3)) for _ in range(3)),
                    project=p,
                )
            )
            if t:
                precs.append(Precedence(pred=k - 1, succ=k))
    return Problem(
        resources=tuple(Resource(name=f"r{i}", capacity=4) for i in range(3)),
        activities=tuple(acts),
        precedences=tuple(precs),
        projects=tuple(Project(name=f"P{p}", weight=1 + p % 5) for p in range(projects)),
        objective=Objective.WEIGHTED_DELAY,
    )

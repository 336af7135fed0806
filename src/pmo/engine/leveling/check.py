"""The validator every returned schedule goes through."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pmo.engine.errors import InvalidScheduleError
from pmo.engine.leveling.model import Problem

__all__ = ["InvalidScheduleError", "check_schedule", "violations"]


def violations(problem: Problem, starts: Sequence[int], limit: int = 20) -> list[str]:
    """Every broken constraint of ``starts`` (up to ``limit``), human-readable.

    Checks the number of starts, releases, deadlines, pinned starts, each
    precedence with its lag, and the capacity of every resource in every period.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=1),),
    ...     activities=(
    ...         Activity(name="a", duration=2, demands=(1,)),
    ...         Activity(name="b", duration=2, demands=(1,)),
    ...     ),
    ...     precedences=(Precedence(pred=0, succ=1),),
    ... )
    >>> violations(p, [0, 2])
    []
    >>> violations(p, [0, 1])
    ['precedence a -> b (FS lag 0): start 1 < 2', 'resource r over capacity in period 1: 2 > 1']
    """
    acts = problem.activities
    out: list[str] = []
    if len(starts) != len(acts):
        return [f"expected {len(acts)} starts, got {len(starts)}"]
    dur = problem.durations
    for j, a in enumerate(acts):
        s = starts[j]
        if s < a.release:
            out.append(f"activity {a.name}: start {s} before release {a.release}")
        if a.deadline is not None and s + a.duration > a.deadline:
            out.append(f"activity {a.name}: finish {s + a.duration} after deadline {a.deadline}")
        if a.pinned_start is not None and s != a.pinned_start:
            out.append(f"activity {a.name}: start {s} but pinned at {a.pinned_start}")
    for e in problem.precedences:
        need = starts[e.pred] + e.start_lag(dur)
        if starts[e.succ] < need:
            out.append(
                f"precedence {acts[e.pred].name} -> {acts[e.succ].name} ({e.kind} lag {e.lag}): "
                f"start {starts[e.succ]} < {need}"
            )
    if acts and problem.resources:
        lo = min(0, *starts)
        hi = max(s + d for s, d in zip(starts, dur, strict=True))
        use = np.zeros((len(problem.resources), hi - lo + 1), dtype=np.int64)
        for j, a in enumerate(acts):
            if a.duration:
                use[:, starts[j] - lo : starts[j] - lo + a.duration] += np.array(a.demands)[:, None]
        for k, r in enumerate(problem.resources):
            cap = np.array([r.capacity_at(t) if t >= 0 else 0 for t in range(lo, hi + 1)])
            for t in np.flatnonzero(use[k] > cap)[:limit]:
                out.append(
                    f"resource {r.name} over capacity in period {int(t) + lo}: "
                    f"{int(use[k, t])} > {int(cap[t])}"
                )
    return out[:limit]


def check_schedule(problem: Problem, starts: Sequence[int]) -> None:
    """Raise :class:`InvalidScheduleError` unless ``starts`` satisfies every constraint.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=1),),
    ...     activities=(Activity(name="a", duration=2, demands=(1,)),),
    ... )
    >>> check_schedule(p, [0])
    """
    found = violations(problem, starts)
    if found:
        raise InvalidScheduleError(f"invalid schedule: {found[0]}", found)

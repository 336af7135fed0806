"""Solve a leveling problem and read its schedule: overload, compaction, moves in dates."""

from __future__ import annotations

import threading

import numpy as np

from pmo.engine.leveling import Schedule, solve
from pmo.resources.adapters.fit import Placement, works_until
from pmo.resources.adapters.rows import SCALE, LevelingInput, Move, _load

__all__ = ["compact", "moves", "overload", "solve_problem"]


def overload(data: LevelingInput, starts: list[int], durations: list[int] | None = None) -> float:
    """FTE-days of demand above the (heat map's) capacity with the given starts (and axis
    lengths, when a :func:`~.fit.place` changed them)."""
    problem = data.problem
    horizon = data.capacity.shape[1]
    if not starts:
        return 0.0
    lengths = durations or [a.duration for a in problem.activities]
    end = max(horizon, max(s + d for s, d in zip(starts, lengths, strict=True)))
    cap = np.concatenate(
        [data.capacity, np.repeat(data.capacity[:, -1:], end - horizon, axis=1)], axis=1
    )
    works = works_until(data, end)
    load = _load(
        [
            (next(k for k, q in enumerate(a.demands) if q), s, d, max(a.demands))
            for s, d, a in zip(starts, lengths, problem.activities, strict=True)
            if any(a.demands)
        ],
        len(data.resource_ids),
        end,
    )
    return float((np.maximum(load - cap, 0) * works).sum()) / SCALE


def compact(data: LevelingInput, starts: list[int] | tuple[int, ...]) -> list[int]:
    """Pull every moved activity back as early as capacity and its chain allow.

    The weighted-delay objective is blind to moves that do not delay a project's finish, so
    a solver may push work further than needed; this left-justification never worsens a
    finish, keeps every precedence (activities are visited by start, predecessors first)
    and the capacity, and leaves only the moves that remove overload.
    """
    problem = data.problem
    result = [int(s) for s in starts]
    if not result:
        return result
    end = max(s + a.duration for s, a in zip(result, problem.activities, strict=True)) + 1
    horizon = data.engine_capacity.shape[1]
    cap = np.concatenate(
        [
            data.engine_capacity,
            np.repeat(data.engine_capacity[:, -1:], max(end - horizon, 0), axis=1),
        ],
        axis=1,
    )
    res = [next((k for k, q in enumerate(a.demands) if q), -1) for a in problem.activities]
    load = _load(
        [
            (res[j], result[j], a.duration, a.demands[res[j]])
            for j, a in enumerate(problem.activities)
            if res[j] >= 0
        ],
        len(data.resource_ids),
        cap.shape[1],
    )
    preds: dict[int, list[tuple[int, int]]] = {}
    for e in problem.precedences:
        preds.setdefault(e.succ, []).append((e.pred, e.start_lag(problem.durations)))
    for _round in range(3):  # a pull-back frees capacity for rows visited before it
        changed = False
        for j in sorted(range(len(result)), key=lambda j: (result[j], data.starts[j], j)):
            a = problem.activities[j]
            s, d, r = result[j], a.duration, res[j]
            if data.fixed[j] or s <= a.release or r < 0:
                continue
            lb = max([a.release, *(result[i] + lag for i, lag in preds.get(j, []))])
            if lb >= s:
                continue
            q = a.demands[r]
            load[r, s : s + d] -= q
            bad = np.concatenate(([0], np.cumsum(cap[r, lb : s + d] - load[r, lb : s + d] < q)))
            fits = np.flatnonzero(bad[d : s - lb + d + 1] - bad[: s - lb + 1] == 0)
            t = lb + int(fits[0]) if len(fits) else s
            load[r, t : t + d] += q
            changed = changed or t != s
            result[j] = t
        if not changed:
            break
    return result


def solve_problem(
    data: LevelingInput,
    *,
    backend: str,
    time_limit: float,
    workers: int = 2,
    stop: threading.Event | None = None,
) -> Schedule:
    """Run the engine (raises :class:`EngineError` subclasses on bad or infeasible input).

    Setting ``stop`` ends the solve early with the best schedule found so far.
    """
    return solve(data.problem, backend=backend, time_limit=time_limit, workers=workers, stop=stop)


def moves(data: LevelingInput, schedule: Placement | list[int] | tuple[int, ...]) -> list[Move]:
    """The allocations moved by a schedule, with old and new inclusive dates.

    Given starts, a row keeps its length in axis days; given a :class:`~.fit.Placement`
    (:func:`~.fit.place`), it lasts the axis days found there: as many of its resource's
    working days as before. ``days`` counts the resource's working days the start moved by.
    """
    if isinstance(schedule, Placement):
        starts, durations = schedule.starts, schedule.durations
    else:
        starts, durations = list(schedule), None
    result = []
    acts = data.problem.activities
    for j, (row, old, new) in enumerate(zip(data.rows, data.starts, starts, strict=True)):
        delta = int(new) - int(old)
        if delta == 0 or data.fixed[j]:
            continue
        length = durations[j] if durations is not None else acts[j].duration
        r = next((k for k, q in enumerate(acts[j].demands) if q), -1)
        code = data.calendars[r] if 0 <= r < len(data.calendars) else None
        kept = data.axis.date(-1) if data.split[j] else None
        result.append(
            Move(
                pk=row.pk,
                first=row.first,
                last=row.last,
                new_first=data.axis.date(int(new)),
                new_last=data.axis.date(int(new) + length - 1),
                days=data.axis.worked(code, int(old), int(new)) if code is not None else delta,
                kept_last=kept,
            )
        )
    return result

"""Fit a solved schedule to each resource's own calendar (ADR 0008, "Calendars").

The engine has one clock: an activity lasts a fixed number of axis days. With several
calendars in use an axis day can be a day off for a resource (a Chinese holiday for ``CN``,
a 调休 Saturday for Monday to Friday, an absence), so a row moved across such days would
hold more or fewer of its resource's working days than before: work lost or added. Here a
row keeps its work instead: at its new start it lasts until it has covered as many of its
resource's working days (``LevelingInput.need``) as before, and its axis length follows.

:func:`place` is a serial schedule generation in the order of the solver's (compacted)
starts: every movable row, predecessors first, takes the earliest start at or after its
release and its chain's lags where it fits the heat map's capacity on every working day of
its resource that it covers (on a day off nothing is counted, as in the heat map). With one
calendar and no absence moved across, durations do not change and this is the engine's
schedule left-justified; with several, a row that grew is pushed on to where it fits, so
the levelled heat map shows no overload the engine had removed. A row that fits nowhere
(capacity ends for good below its demand) is placed at the solver's start and reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from pmo.resources.adapters.rows import SCALE, LevelingInput, _load

__all__ = ["PinnedOverload", "Placement", "pinned_overload", "place", "works_until"]

_MAX_GROWTH = 8  # times the arrays double while looking for room for one row


@dataclass(frozen=True)
class Placement:
    """Where each activity starts and how many axis days it lasts there."""

    starts: list[int]
    durations: list[int]
    unplaced: list[int] = field(default_factory=list)  # activities left over capacity


@dataclass(frozen=True)
class PinnedOverload:
    """Overload that fixed work of pinned or ended projects alone makes on a resource."""

    resource_id: int
    first: dt.date
    last: dt.date
    fte_days: float
    projects: tuple[str, ...]


def works_until(data: LevelingInput, length: int) -> np.ndarray:
    """Resources x ``length`` axis days: whether the resource works (calendar and absences;
    past the built horizon its calendar only)."""
    horizon = data.works.shape[1]
    if length <= horizon:
        return data.works[:, :length]
    extra = [data.axis.works(code, horizon, length) for code in data.calendars]
    return np.concatenate(
        [data.works, np.array(extra, dtype=bool).reshape(-1, length - horizon)], 1
    )


def _extend(capacity: np.ndarray, length: int) -> np.ndarray:
    if capacity.shape[1] >= length:
        return capacity
    return np.concatenate(
        [capacity, np.repeat(capacity[:, -1:], length - capacity.shape[1], axis=1)], axis=1
    )


def place(data: LevelingInput, starts: list[int] | tuple[int, ...]) -> Placement:
    """Each movable activity at the earliest start from its release (and chain) where, lasting
    its resource's working days of before, it fits the capacity; order by ``starts``."""
    problem = data.problem
    acts = problem.activities
    res = [next((k for k, q in enumerate(a.demands) if q), -1) for a in acts]
    result = [int(s) for s in starts]
    durations = [a.duration for a in acts]
    if not acts:
        return Placement(result, durations)
    n_res = len(data.resource_ids)
    length = max(data.works.shape[1], *(s + d for s, d in zip(result, durations, strict=True)))
    length = 2 * length + 30
    works = works_until(data, length)
    cap = _extend(data.engine_capacity, length)
    prefix = np.concatenate([np.zeros((n_res, 1), dtype=np.int64), np.cumsum(works, 1)], 1)
    load = _load(
        [
            (res[j], result[j], durations[j], acts[j].demands[res[j]])
            for j in range(len(acts))
            if data.fixed[j] and res[j] >= 0
        ],
        n_res,
        length,
    )
    preds: dict[int, list[tuple[int, int]]] = {}
    for e in problem.precedences:
        preds.setdefault(e.succ, []).append((e.pred, e.start_lag(problem.durations)))
    unplaced: list[int] = []
    order = sorted(range(len(acts)), key=lambda j: (result[j], data.starts[j], data.rows[j].pk))
    for j in order:
        a, r = acts[j], res[j]
        if data.fixed[j] or r < 0:
            continue
        q, need = a.demands[r], data.need[j]
        lb = max([a.release, *(result[i] + lag for i, lag in preds.get(j, []))])
        found = None
        for _grow in range(_MAX_GROWTH):
            found = _earliest(
                works[r], prefix[r], load[r], cap[r], lb, a.release, a.duration, q, need
            )
            if found is not None or cap[r, -1] < q:
                break
            length *= 2  # room only further out: look there
            works = works_until(data, length)
            cap = _extend(data.engine_capacity, length)
            prefix = np.concatenate([np.zeros((n_res, 1), dtype=np.int64), np.cumsum(works, 1)], 1)
            load = np.concatenate([load, np.zeros((n_res, length - load.shape[1]), np.int64)], 1)
        if found is None:  # no room anywhere: where the solver put it, lasting its days
            found = _at(works[r], prefix[r], max(lb, result[j]), a.release, a.duration, need)
            unplaced.append(j)
        t, d = found
        if t + d > load.shape[1]:  # only past a last grown array: make room
            more = t + d - load.shape[1]
            load = np.concatenate([load, np.zeros((n_res, more), np.int64)], 1)
        load[r, t : t + d] += q
        result[j], durations[j] = t, d
    return Placement(result, durations, unplaced)


def _earliest(
    works: np.ndarray,
    prefix: np.ndarray,
    load: np.ndarray,
    cap: np.ndarray,
    lb: int,
    release: int,
    duration: int,
    q: int,
    need: int,
) -> tuple[int, int] | None:
    """The earliest ``(start, duration)`` at or after ``lb`` where a row of ``q`` covering
    ``need`` working days fits; at its release it keeps its own duration (it does not move),
    elsewhere it starts on a working day. ``None`` if nothing fits within the arrays."""
    size = len(works)
    if lb >= size:
        return None
    bad = np.concatenate(([0], np.cumsum(works[lb:] & (load[lb:] + q > cap[lb:]))))
    ts = np.arange(lb, size)
    # no working day of its own (inside an absence): it keeps its axis length
    ends = np.searchsorted(prefix, prefix[ts] + need, side="left") if need > 0 else ts + duration
    ok = works[lb:].copy()
    if lb == release:
        ends[0], ok[0] = release + duration, True
    inside = ends <= size
    ends_c = np.minimum(ends, size)
    fit = ok & inside & (bad[ends_c - lb] - bad[ts - lb] == 0)
    hits = np.flatnonzero(fit)
    if not len(hits):
        return None
    t = int(ts[hits[0]])
    return t, int(ends[hits[0]]) - t


def _at(
    works: np.ndarray, prefix: np.ndarray, t: int, release: int, duration: int, need: int
) -> tuple[int, int]:
    """The row at ``t`` (its release, or the next working day from ``t``) and its length."""
    if t == release:
        return t, duration
    while t < len(works) - 1 and not works[t]:
        t += 1
    if need <= 0:
        return t, duration
    end = int(np.searchsorted(prefix, prefix[t] + need, side="left"))
    if end >= len(prefix):  # past the arrays: every further day counts (Monday to Friday)
        end = len(prefix) - 1 + need - int(prefix[-1] - prefix[t])
    return t, max(end - t, 1)


def pinned_overload(data: LevelingInput) -> list[PinnedOverload]:
    """Stretches where the fixed rows of pinned or ended projects alone exceed the heat
    map's capacity (per resource; a day off does not break a stretch), with their projects.

    This overload stays after any leveling: nothing fixed moves."""
    acts = data.problem.activities
    horizon = data.capacity.shape[1]
    listed = {a.pk for a in data.not_levelable}
    held = [
        j
        for j, a in enumerate(acts)
        if data.fixed[j] and data.rows[j].pk not in listed and any(a.demands)
    ]
    if not held:
        return []
    res = {j: next(k for k, q in enumerate(acts[j].demands) if q) for j in held}
    load = _load(
        [(res[j], data.starts[j], acts[j].duration, acts[j].demands[res[j]]) for j in held],
        len(data.resource_ids),
        horizon,
    )
    excess = np.maximum(load - data.capacity, 0) * data.works
    result = []
    for r in np.flatnonzero(excess.any(axis=1)):
        days = np.flatnonzero(data.works[r])  # the resource's working days, in order
        over = excess[r, days] > 0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], over.astype(int), [0]))))
        for lo, hi in zip(edges[::2], edges[1::2], strict=True):
            first, last = int(days[lo]), int(days[hi - 1])
            codes = sorted(
                {
                    data.projects[acts[j].project].code
                    for j in held
                    if res[j] == r
                    and data.starts[j] <= last
                    and data.starts[j] + acts[j].duration > first
                }
            )
            result.append(
                PinnedOverload(
                    resource_id=data.resource_ids[r],
                    first=data.axis.date(first),
                    last=data.axis.date(last),
                    fte_days=float(excess[r, first : last + 1].sum()) / SCALE,
                    projects=tuple(codes),
                )
            )
    return result

"""Map a scenario layer to the leveling engine's problem and its schedule back to dates.

The only module of the app that imports :mod:`pmo.engine`. It works on plain rows (no
queries), so it is tested without a database.

- Time is the working days of the resource calendars in use (:class:`DayAxis`: with only
  ``CN`` resources, mainland-China working days; with only ``""``, Monday to Friday; with
  both, their union). An allocation covering ``n`` axis days is an activity of duration
  ``n``; with one calendar in use, moving it by whole axis days keeps exactly the demand the
  heat map counts. With several, an axis day may be a day off for a resource (a Chinese
  holiday for ``CN``, a 调休 Saturday for ``""``): the heat map counts neither capacity nor
  demand there, but the engine keeps the resource's capacity on such a day, so that leveling
  never "removes" overload by moving work into a holiday (a row keeps its length in axis
  days, not in its resource's working days). This is conservative: rows that overlap only on
  a day off may be kept apart.
- An absence (a capacity change to 0 FTE of at most two weeks: leave, a shutdown) is a day
  off of its resource in the same way: the engine keeps the standing capacity there and the
  overload figures count neither capacity nor demand, so a week of leave pauses the work
  that spans it instead of pushing that work past it (ADR 0006).
- Demand and capacity are integer hundredths of an FTE (FTE has two decimals: exact).
- Capacity per resource and day: the standing FTE inside the availability window (0 for an
  inactive resource), overridden by the layer's capacity changes; outside the built axis
  the value of its last day.
- Leveling only delays: an activity's release is its current start. The axis starts today:
  allocations that have ended are left out; of an allocation under way only the part from
  today on is an activity (moving it splits the row: the part before today stays); every
  allocation of a pinned project is fixed in place, and so is what is left of a closed or
  cancelled project's (``ProjectRow.ended``: it takes no more work, so none of it moves
  later; it still counts as the load the heat map shows); within a project the movable
  allocations are chained by start with start-to-start lags equal to their current offsets
  (a project can stretch, not compress).
- Where fixed demand alone exceeds capacity, the engine's capacity is raised to that demand
  (the overload stays and is reported; nothing else may use the day). An allocation that fits
  nowhere at or after its start even alone (demand above the residual capacity on every
  window) is "not levelable": fixed in place and listed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from pmo.engine.errors import EngineError
from pmo.engine.leveling import (
    Activity,
    CapacityWindow,
    Objective,
    Precedence,
    Problem,
    Project,
    Resource,
    Schedule,
    solve,
    violations,
)
from pmo.resources.calendars import DayAxis, Overrides, is_absence

__all__ = [
    "AllocationRow",
    "ChangeRow",
    "EngineError",
    "LevelingInput",
    "Move",
    "ProjectRow",
    "ResourceRow",
    "build_problem",
    "compact",
    "moves",
    "overload",
    "priority_weight",
    "solve_problem",
    "violations",
]

SCALE = 100  # hundredths of an FTE


@dataclass(frozen=True)
class ResourceRow:
    """A resource's standing capacity and availability."""

    pk: int
    fte: Decimal
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    active: bool = True
    calendar: str = ""


@dataclass(frozen=True)
class ChangeRow:
    """A capacity change of the layer (inclusive dates)."""

    resource_id: int
    first: dt.date
    last: dt.date
    fte: Decimal


@dataclass(frozen=True)
class AllocationRow:
    """An allocation of the layer (inclusive dates)."""

    pk: int
    resource_id: int
    project_id: int
    first: dt.date
    last: dt.date
    fte: Decimal


@dataclass(frozen=True)
class ProjectRow:
    """A project's code, effective priority (1 highest .. 5), pin, and whether it has ended
    (closed or cancelled: its rows are fixed in place like a pinned project's)."""

    pk: int
    code: str
    priority: int = 3
    pinned: bool = False
    ended: bool = False


@dataclass
class LevelingInput:
    """The engine problem plus what is needed to map its schedule back."""

    problem: Problem
    axis: DayAxis  # index 0 = the first axis day on or after today
    rows: list[AllocationRow]  # by activity index
    starts: list[int]  # current start (working-day index) by activity index
    fixed: list[bool]
    split: list[bool]  # under way: a move keeps the part before today in place
    not_levelable: list[AllocationRow]
    projects: list[ProjectRow]  # by engine project index
    resource_ids: list[int]  # by engine resource index
    capacity: np.ndarray  # resources x days, hundredths (the heat map's capacity)
    engine_capacity: np.ndarray  # the profile on every axis day, raised to the fixed demand
    works: np.ndarray  # resources x days: the resource's calendar works that axis day


@dataclass(frozen=True)
class Move:
    """An allocation moved by ``days`` axis (working) days."""

    pk: int
    first: dt.date
    last: dt.date
    new_first: dt.date
    new_last: dt.date
    days: int
    kept_last: dt.date | None = None  # work under way: the original row now ends here


def priority_weight(priority: int) -> int:
    """Weight of a day of delay: priority 1 (highest) -> 16, 2 -> 8, ... 5 -> 1."""
    return 2 ** (5 - min(max(priority, 1), 5))


def _dates(values: list[dt.date]) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def _index(axis: DayAxis, value: dt.date, horizon: int) -> int:
    return min(max(axis.index(value), 0), horizon)


def _profile(
    resources: list[ResourceRow], changes: list[ChangeRow], axis: DayAxis, horizon: int
) -> np.ndarray:
    """Capacity (hundredths) per resource and axis day ``[0, horizon)``."""
    cap = np.zeros((len(resources), horizon), dtype=np.int64)
    row = {r.pk: i for i, r in enumerate(resources)}
    for i, r in enumerate(resources):
        if not r.active:
            continue
        lo = _index(axis, r.available_from, horizon) if r.available_from else 0
        hi = (
            _index(axis, r.available_until + dt.timedelta(days=1), horizon)
            if r.available_until
            else horizon
        )
        cap[i, lo:hi] = round(r.fte * SCALE)
    for c in changes:
        k = row.get(c.resource_id)
        if k is None or not resources[k].active:
            continue
        i, r = k, resources[k]
        first = max(c.first, r.available_from or c.first)
        last = min(c.last, r.available_until or c.last)
        lo = _index(axis, first, horizon)
        hi = _index(axis, last + dt.timedelta(days=1), horizon)
        if lo < hi:
            cap[i, lo:hi] = round(c.fte * SCALE)
    return cap


def _load(rows: list[tuple[int, int, int, int]], n_resources: int, horizon: int) -> np.ndarray:
    """Per resource and day demand of ``(resource, start, duration, demand)`` rows."""
    diff = np.zeros((n_resources, horizon + 1), dtype=np.int64)
    for r, s, d, q in rows:
        diff[r, s] += q
        diff[r, min(s + d, horizon)] -= q
    return np.cumsum(diff, axis=1)[:, :horizon]


def _fits_somewhere(residual: np.ndarray, start: int, duration: int, demand: int) -> bool:
    """Whether ``demand`` fits ``duration`` consecutive days at or after ``start``."""
    if residual[-1] >= demand:  # the last day's capacity goes on forever
        return True
    bad = np.concatenate(([0], np.cumsum(residual < demand)))
    last = len(residual) - duration
    if last < start:
        return False
    windows = bad[start + duration : last + duration + 1] - bad[start : last + 1]
    return bool((windows == 0).any())


def _windows(profile: np.ndarray) -> tuple[int, tuple[CapacityWindow, ...]]:
    """The base capacity (the last day's) and windows where the profile differs from it."""
    base = int(profile[-1])
    change = np.flatnonzero(np.diff(profile)) + 1
    bounds = [0, *change.tolist(), len(profile)]
    windows = tuple(
        CapacityWindow(start=lo, end=hi, capacity=int(profile[lo]))
        for lo, hi in itertools.pairwise(bounds)
        if int(profile[lo]) != base
    )
    return base, windows


def build_problem(
    *,
    resources: list[ResourceRow],
    changes: list[ChangeRow],
    allocations: list[AllocationRow],
    projects: list[ProjectRow],
    today: dt.date,
    overrides: Overrides | None = None,
) -> LevelingInput:
    """The weighted-delay problem of one layer (see the module docstring)."""
    calendar_of = {r.pk: r.calendar for r in resources}
    candidates = [a for a in allocations if a.last >= today]
    dates = [
        today,
        *(d for a in candidates for d in (a.first, a.last)),
        *(d for c in changes for d in (c.first, c.last)),
        *(d for r in resources for d in (r.available_from, r.available_until) if d),
    ]
    codes = {calendar_of.get(a.resource_id, "") for a in candidates}
    axis = DayAxis(
        codes or {""},
        min(dates) - dt.timedelta(days=31),
        today,
        max(dates) + dt.timedelta(days=2 * 366),
        overrides,
    )
    firsts = axis.indexes(_dates([a.first for a in candidates]))
    ends = axis.indexes(_dates([a.last for a in candidates]) + 1)
    # work under way: only what is left from today is an activity (the past part stays)
    starts = np.maximum(firsts, 0)
    worked = np.array(
        [
            axis.worked(calendar_of.get(a.resource_id, ""), int(s), int(e))
            for a, s, e in zip(candidates, starts, ends, strict=True)
        ],
        dtype=np.int64,
    )
    keep = worked > 0  # no day of the resource's calendar left: no demand
    live = [a for a, k in zip(candidates, keep, strict=True) if k]
    split = (firsts[keep] < 0).tolist()
    starts = starts[keep]
    durations = ends[keep] - starts
    last_days = [
        *(starts + durations).tolist(),
        *(_index(axis, c.last, 10**6) + 1 for c in changes),
        *(_index(axis, r.available_from, 10**6) + 1 for r in resources if r.available_from),
        *(_index(axis, r.available_until, 10**6) + 1 for r in resources if r.available_until),
    ]
    horizon = max([*last_days, 1]) + 1
    # the last day's capacity holds for ever after: it must be a working day of every calendar
    while not all(axis.works(c, horizon - 1, horizon)[0] for c in codes):
        horizon += 1

    used = sorted({a.resource_id for a in live})
    res_index = {pk: i for i, pk in enumerate(used)}
    by_pk = {r.pk: r for r in resources}
    res_rows = [by_pk.get(pk, ResourceRow(pk=pk, fte=Decimal(0), active=False)) for pk in used]
    works = np.array(
        [axis.works(calendar_of.get(pk, ""), 0, horizon) for pk in used], dtype=bool
    ).reshape(len(used), horizon)
    # an absence is time off, as a holiday is: a day the resource does not work, not a cut
    absent = [c for c in changes if is_absence(c.fte, c.first, c.last)]
    for c in absent:
        i = res_index.get(c.resource_id)
        if i is not None:
            lo = _index(axis, c.first, horizon)
            works[i, lo : _index(axis, c.last + dt.timedelta(days=1), horizon)] = False
    # the heat map counts a resource only on its calendar's days; the engine on every axis day
    profile = _profile(res_rows, [c for c in changes if c not in absent], axis, horizon)
    capacity = np.where(works, profile, 0)

    project_list = sorted({a.project_id for a in live})
    proj_index = {pk: i for i, pk in enumerate(project_list)}
    proj_by_pk = {p.pk: p for p in projects}
    proj_rows = [proj_by_pk.get(pk, ProjectRow(pk=pk, code=str(pk))) for pk in project_list]

    demand = [round(a.fte * SCALE) for a in live]
    fixed = [
        proj_rows[proj_index[a.project_id]].pinned or proj_rows[proj_index[a.project_id]].ended
        for a in live
    ]
    not_levelable: list[AllocationRow] = []
    engine_capacity = capacity
    while True:  # fixing an allocation adds load, which may leave others nowhere to go
        fixed_load = _load(
            [
                (res_index[a.resource_id], int(s), int(d), q)
                for a, s, d, q, f in zip(live, starts, durations, demand, fixed, strict=True)
                if f
            ],
            len(used),
            horizon,
        )
        engine_capacity = np.maximum(profile, fixed_load)
        residual = engine_capacity - fixed_load
        stuck = [
            j
            for j, a in enumerate(live)
            if not fixed[j]
            and not _fits_somewhere(
                residual[res_index[a.resource_id]], int(starts[j]), int(durations[j]), demand[j]
            )
        ]
        if not stuck:
            break
        for j in stuck:
            fixed[j] = True
            not_levelable.append(live[j])

    engine_resources = []
    for i, pk in enumerate(used):
        base, windows = _windows(engine_capacity[i])
        engine_resources.append(Resource(name=str(pk), capacity=base, windows=windows))
    activities = []
    for j, a in enumerate(live):
        demands = [0] * len(used)
        demands[res_index[a.resource_id]] = demand[j]
        s = int(starts[j])
        activities.append(
            Activity(
                name=str(a.pk),
                duration=int(durations[j]),
                demands=tuple(demands),
                project=proj_index[a.project_id],
                release=s,
                pinned_start=s if fixed[j] else None,
            )
        )
    precedences = []
    chains: dict[int, list[int]] = {}
    for j, a in enumerate(live):
        if not fixed[j]:
            chains.setdefault(a.project_id, []).append(j)
    for members in chains.values():
        members.sort(key=lambda j: (int(starts[j]), live[j].pk))
        for i, j in itertools.pairwise(members):
            precedences.append(
                Precedence(pred=i, succ=j, lag=int(starts[j] - starts[i]), kind="SS")
            )
    problem = Problem(
        resources=tuple(engine_resources),
        activities=tuple(activities),
        precedences=tuple(precedences),
        projects=tuple(
            Project(name=p.code, weight=priority_weight(p.priority), pinned=p.pinned or p.ended)
            for p in proj_rows
        )
        or (Project(name="none"),),
        objective=Objective.WEIGHTED_DELAY,
    )
    return LevelingInput(
        problem=problem,
        axis=axis,
        rows=live,
        starts=starts.tolist(),
        fixed=fixed,
        split=split,
        not_levelable=not_levelable,
        projects=proj_rows,
        resource_ids=used,
        capacity=capacity,
        engine_capacity=engine_capacity,
        works=works,
    )


def overload(data: LevelingInput, starts: list[int]) -> float:
    """FTE-days of demand above the (heat map's) capacity with the given starts."""
    problem = data.problem
    horizon = data.capacity.shape[1]
    if not starts:
        return 0.0
    end = max(horizon, max(s + a.duration for s, a in zip(starts, problem.activities, strict=True)))
    cap = np.concatenate(
        [data.capacity, np.repeat(data.capacity[:, -1:], end - horizon, axis=1)], axis=1
    )
    works = np.concatenate(
        [data.works, np.ones((len(data.resource_ids), end - horizon), dtype=bool)], axis=1
    )
    load = _load(
        [
            (next(k for k, q in enumerate(a.demands) if q), s, a.duration, max(a.demands))
            for s, a in zip(starts, problem.activities, strict=True)
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


def moves(data: LevelingInput, starts: list[int] | tuple[int, ...]) -> list[Move]:
    """The allocations moved by ``starts``, with old and new inclusive dates."""
    result = []
    for j, (row, old, new) in enumerate(zip(data.rows, data.starts, starts, strict=True)):
        delta = int(new) - int(old)
        if delta == 0 or data.fixed[j]:
            continue
        last = data.axis.index(row.last + dt.timedelta(days=1)) - 1  # last axis day
        kept = data.axis.date(-1) if data.split[j] else None
        result.append(
            Move(
                pk=row.pk,
                first=row.first,
                last=row.last,
                new_first=data.axis.date(int(new)),
                new_last=data.axis.date(last + delta),
                days=delta,
                kept_last=kept,
            )
        )
    return result

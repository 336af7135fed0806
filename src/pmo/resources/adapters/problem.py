"""Build the engine's weighted-delay problem of one scenario layer (the rules are in
:mod:`pmo.resources.adapters`)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy as np

from pmo.engine.leveling import (
    Activity,
    CapacityWindow,
    Objective,
    Precedence,
    Problem,
    Project,
    Resource,
)
from pmo.resources.adapters.rows import (
    SCALE,
    AllocationRow,
    ChangeRow,
    LevelingInput,
    ProjectRow,
    ResourceRow,
    _load,
    priority_weight,
)
from pmo.resources.calendars import DayAxis, Overrides, is_absence

__all__ = ["build_problem"]


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


def _has_work(axis: DayAxis, code: str, absences: list[ChangeRow], start: int, end: int) -> bool:
    """Whether axis days ``start..end-1`` hold a working day of the resource outside its
    ``absences`` (else the row carries no demand the heat map counts)."""
    if axis.worked(code, start, end) == 0:
        return False
    if not absences:
        return True
    mask = axis.works(code, start, end)
    for c in absences:
        lo = max(axis.index(c.first) - start, 0)
        hi = min(axis.index(c.last + dt.timedelta(days=1)) - start, end - start)
        if lo < hi:
            mask[lo:hi] = False
    return bool(mask.any())


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
    absent = [c for c in changes if is_absence(c.fte, c.first, c.last)]
    off: dict[int, list[ChangeRow]] = {}
    for c in absent:
        off.setdefault(c.resource_id, []).append(c)
    worked = np.array(
        [
            _has_work(axis, calendar_of.get(a.resource_id, ""), off.get(a.resource_id, []), s, e)
            for a, s, e in zip(candidates, starts.tolist(), ends.tolist(), strict=True)
        ],
        dtype=bool,
    )
    # no day of the resource's calendar left (or only days of its absences): no demand
    keep = worked
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
        calendars=[calendar_of.get(pk, "") for pk in used],
        need=[
            int(works[res_index[a.resource_id], int(s) : int(s) + int(d)].sum())
            for a, s, d in zip(live, starts, durations, strict=True)
        ],
    )

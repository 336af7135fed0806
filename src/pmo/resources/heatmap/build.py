"""Build a heat map: demand against capacity per group and period, from three queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np

from pmo.accounts.models import OrgUnit
from pmo.core.i18n import is_chinese
from pmo.resources import calendars
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.cells import EPSILON, Cell, HeatMap, Row, periods
from pmo.resources.models import Allocation, AllocationStatus, CapacityChange, Resource
from pmo.resources.roles import chinese_roles

__all__ = ["build_heatmap"]


def _days(values: list[dt.date], origin: np.datetime64) -> np.ndarray:
    """Day indexes of ``values`` from ``origin``; by ordinals (numpy's conversion of date
    objects to ``datetime64`` took 25 ms per 8,000 allocations, this under one)."""
    base = origin.astype(object).toordinal()
    return np.fromiter((d.toordinal() for d in values), dtype=np.int64, count=len(values)) - base


def _spread(
    groups: np.ndarray, first: np.ndarray, last: np.ndarray, fte: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Per-group, per-day FTE of intervals ``[first, last]`` (day indexes, inclusive)."""
    n_groups, n_days = shape
    if not len(groups):
        return np.zeros(shape)
    diff = np.zeros((n_groups, n_days + 1))
    start = np.clip(first, 0, n_days)
    stop = np.clip(last + 1, 0, n_days)
    keep = start < stop
    np.add.at(diff, (groups[keep], start[keep]), fte[keep])
    np.add.at(diff, (groups[keep], stop[keep]), -fte[keep])
    return np.cumsum(diff, axis=1)[:, :n_days]


def daily_load(
    active: list[tuple[int, Any, dt.date | None, dt.date | None]],
    row_of: Callable[[np.ndarray], np.ndarray],
    *,
    shape: tuple[int, int],
    first: dt.date,
    last: dt.date,
    only: ResourceFilter,
    scenario_id: int | None,
    committed_only: bool,
    worth: dict[int, float],
) -> tuple[np.ndarray, np.ndarray, dict[int, list[tuple[dt.date, dt.date]]]]:
    """Capacity and demand per row of ``shape`` and day of ``first..last``, before any
    calendar: ``active`` are the active resources ``(id, fte, available from, until)`` among
    those ``only`` keeps, ``row_of`` maps resource ids to rows, ``worth`` is what one FTE of
    a resource counts per day (1, or its hours per day). Two more queries: the capacity
    changes and the allocations of the layer (the plan or ``scenario_id``). Also returns the
    absences by resource id: the work of those days pauses (no demand), as on a holiday."""
    origin = np.datetime64(first, "D")
    # capacity: the standing FTE within the availability window ...
    cap = _spread(
        row_of(np.array([r[0] for r in active], dtype=np.int64)),
        _days([r[2] or first for r in active], origin),
        _days([r[3] or last for r in active], origin),
        np.array([float(r[1]) * worth[r[0]] for r in active]),
        shape,
    )
    # ... plus the difference each capacity change makes in its window
    changes = list(
        CapacityChange.objects.filter(
            only.q("resource__"),
            **{"scenario_id": scenario_id},
            first__lte=last,
            last__gte=first,
            resource__active=True,
        ).values_list(
            "resource_id",
            "first",
            "last",
            "fte",
            "resource__fte",
            "resource__available_from",
            "resource__available_until",
        )
    )
    if changes:
        cap += _spread(
            row_of(np.array([c[0] for c in changes], dtype=np.int64)),
            _days([max(c[1], c[5] or c[1]) for c in changes], origin),
            _days([min(c[2], c[6] or c[2]) for c in changes], origin),
            np.array([(float(c[3]) - float(c[4])) * worth[c[0]] for c in changes]),
            shape,
        )
    allocations = Allocation.objects.filter(
        only.q("resource__"),
        **{"scenario_id": scenario_id},
        first__lte=last,
        last__gte=first,
    )
    if committed_only:
        allocations = allocations.filter(status=AllocationStatus.COMMITTED)
    rows = list(allocations.values_list("resource_id", "first", "last", "fte"))
    off = calendars.absences((c[0], c[1], c[2], c[3]) for c in changes)
    paused = calendars.absence_overlaps(
        ((j, r[0], max(r[1], first), min(r[2], last)) for j, r in enumerate(rows) if r[0] in off),
        off,
    )
    rows += [(rows[j][0], lo, hi, -rows[j][3]) for j, lo, hi in paused]
    demand = np.zeros(shape)
    if rows:
        demand = _spread(
            row_of(np.array([r[0] for r in rows], dtype=np.int64)),
            _days([r[1] for r in rows], origin),
            _days([r[2] for r in rows], origin),
            np.array([float(r[3]) * worth.get(r[0], 1.0) for r in rows]),
            shape,
        )
    return cap, demand, off


def _group_field(by: str) -> str:
    return {"role": "role", "org_unit": "org_unit_id", "resource": "pk"}[by]


def _labels(
    by: str, keys: list[Any], names: dict[Any, str], roles: dict[Any, str]
) -> dict[Any, str]:
    if by == "role":  # the Chinese role of any resource of the role, when Chinese is on
        return {k: roles.get(k) or str(k) for k in keys}
    if by == "org_unit":
        return {u.pk: u.display_name for u in OrgUnit.objects.filter(pk__in=keys)}
    return names


def build_heatmap(
    *,
    by: str = "role",
    scale: str = "week",
    start: dt.date,
    count: int = 12,
    scenario_id: int | None = None,
    committed_only: bool = False,
    unit: str = "fte",
    only: ResourceFilter | None = None,
    overrides: calendars.Overrides | None = None,
    today: dt.date | None = None,
) -> HeatMap:
    """Demand against capacity for the current plan (or a scenario) in ``count`` periods.

    ``unit="fte"``: FTE-days over the period's Monday-Friday days (an average FTE);
    ``unit="hours"``: person-hours in the period, each resource's FTE times its hours per day.
    ``only`` narrows the resources (an org unit and its sub-units, a role, a skill);
    ``overrides`` are the hand-entered calendar days if the caller has read them already.
    With ``today``, a period over capacity only on days before it is marked ``past``
    rather than overloaded: leveling (which starts today) cannot move work done already,
    so the pages count only what can still change.
    """
    only = only or ResourceFilter()
    chosen = only.q()
    spans = periods(start, count, scale)
    axis_first, axis_last = spans[0].first, spans[-1].last
    origin = np.datetime64(axis_first, "D")
    n_days = (axis_last - axis_first).days + 1

    resources = list(
        Resource.objects.filter(chosen).values_list(
            "pk",
            _group_field(by),
            "fte",
            "available_from",
            "available_until",
            "active",
            "name",
            "name_zh",
            "calendar",
            "hours_per_day",
        )
    )
    # what one FTE of a resource is worth per working day in the unit
    worth = {r[0]: float(r[9]) if unit == "hours" else 1.0 for r in resources}
    codes = sorted({r[8] for r in resources}) or [""]
    code_index = {c: i for i, c in enumerate(codes)}
    if overrides is None:
        overrides = calendars.load_overrides()
    masks = np.array(
        [calendars.working(c, axis_first, axis_last, overrides) for c in codes], dtype=float
    )
    keys = sorted({r[1] for r in resources}, key=lambda k: (str(type(k)), k))
    key_index = {k: i for i, k in enumerate(keys)}
    res_ids = np.array([r[0] for r in resources], dtype=np.int64)
    order = np.argsort(res_ids)
    res_ids = res_ids[order]
    n_groups = max(len(keys), 1)
    # a layer per (calendar, group): row index = calendar * n_groups + group
    res_group = np.array(
        [code_index[r[8]] * n_groups + key_index[r[1]] for r in resources], dtype=np.int64
    )[order]
    shape = (len(codes) * n_groups, n_days)

    def group_of(ids: np.ndarray) -> np.ndarray:
        return res_group[np.searchsorted(res_ids, ids)]

    def worked(layers: np.ndarray) -> np.ndarray:
        """Per group and day, only the days each calendar works, calendars summed."""
        return (layers.reshape(len(codes), n_groups, n_days) * masks[:, None, :]).sum(axis=0)

    cap, demand, _off = daily_load(
        [(r[0], r[2], r[3], r[4]) for r in resources if r[5]],
        group_of,
        shape=shape,
        first=axis_first,
        last=axis_last,
        only=only,
        scenario_id=scenario_id,
        committed_only=committed_only,
        worth=worth,
    )
    dates = np.arange(n_days) + origin
    bounds = np.array([(p.first - axis_first).days for p in spans], dtype=np.int64)
    weekdays = np.add.reduceat(np.is_busday(dates).astype(float), bounds)
    weekdays[weekdays == 0] = 1
    if unit == "hours":  # totals, not averages
        weekdays[:] = 1
    digits = 1 if unit == "hours" else 2
    cap_days, dem_days = worked(cap), worked(demand)
    cap_avg = np.add.reduceat(cap_days, bounds, axis=1) / weekdays
    dem_avg = np.add.reduceat(dem_days, bounds, axis=1) / weekdays
    past = np.zeros(cap_avg.shape, dtype=bool)
    if today is not None and today > axis_first:
        ahead = dates >= np.datetime64(today, "D")
        cap_ahead = np.add.reduceat(cap_days * ahead, bounds, axis=1)
        dem_ahead = np.add.reduceat(dem_days * ahead, bounds, axis=1)
        past = dem_ahead <= cap_ahead + EPSILON

    chinese = is_chinese()
    names = {r[0]: (r[7] or r[6]) if chinese else r[6] for r in resources}
    roles: dict[Any, str] = chinese_roles() if by == "role" and chinese else {}
    labels = _labels(by, keys, names, roles)
    result = [
        Row(
            key=str(key),
            label=labels.get(key, str(key)),
            cells=[
                Cell(_rounded(c, digits), _rounded(d, digits), p.first, p.last, bool(g))
                for c, d, g, p in zip(cap_avg[i], dem_avg[i], past[i], spans, strict=True)
            ],
        )
        for i, key in enumerate(keys)
    ]
    result.sort(key=lambda r: r.label.lower())
    return HeatMap(
        by=by,
        scale=scale,
        periods=spans,
        rows=result,
        assumed_years=calendars.assumed_years(codes, axis_first, axis_last, overrides),
        unit=unit,
    )


def _rounded(value: Any, digits: int) -> float:
    """``value`` rounded, a negative zero (demand paused by leave cancelling to -1e-17) as
    0: a cell reads "0.0", not "-0.0"."""
    return round(float(value), digits) + 0.0

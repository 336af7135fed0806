"""Who is free: the resources with capacity left over some days, for staffing a project.

A project manager or resource manager asks "who could take 0.5 FTE of a Java developer from
4 January to 26 March?". The answer is per day, not per heat-map period: a person is free by
``need`` FTE when, on every day of the window that they work (their calendar's working
days, less their absences, when work pauses), their capacity minus the demand on them is at
least ``need``. An allocation of ``need`` FTE over the window would then overload them on no
day, so the heat map would not show it red either. The weekly strip of the page is the mean
free FTE of each week's counted days, for looking rather than deciding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from pmo.core.i18n import pick
from pmo.resources import calendars
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.build import daily_load
from pmo.resources.heatmap.cells import EPSILON, Period, periods
from pmo.resources.models import Resource

__all__ = ["MAX_DAYS", "Availability", "Free", "find_available", "free_by_day"]

MAX_DAYS = 366  # a window of at most a year: a staffing question, not a capacity plan


@dataclass(frozen=True)
class Free:
    """One resource's room in the window, in FTE."""

    resource: Resource
    weeks: tuple[float | None, ...]  # mean free FTE of each period's counted days, or None
    least: float  # the least free FTE on any counted day
    mean: float  # the mean free FTE over the counted days
    fits: bool  # free by the FTE needed on every counted day

    @property
    def label(self) -> str:
        return self.resource.display_name


@dataclass(frozen=True)
class Availability:
    first: dt.date
    last: dt.date
    need: float | None
    periods: list[Period]
    rows: list[Free]  # most room first, at most ``limit``
    found: int  # resources with room before the limit: ``len(rows)`` or more
    fitting: int  # of those, free by ``need`` on every counted day (all found without need)
    assumed_years: tuple[int, ...]


Row = tuple[Any, ...]  # (id, fte, available from, available until, active, calendar, ...)


def free_by_day(
    resources: list[Row],
    *,
    first: dt.date,
    last: dt.date,
    only: ResourceFilter,
    scenario_id: int | None,
    committed_only: bool,
    overrides: calendars.Overrides,
) -> tuple[np.ndarray, np.ndarray]:
    """Free FTE (capacity less demand) of each of ``resources`` (ordered by id, those
    ``only`` keeps) on each day of ``first..last``, and which of those days count for it: its
    calendar's working days, less its absences. Two queries (:func:`daily_load`)."""
    n_days = (last - first).days + 1
    ids = np.array([r[0] for r in resources], dtype=np.int64)
    cap, demand, off = daily_load(
        [(r[0], r[1], r[2], r[3]) for r in resources if r[4]],
        lambda found: np.searchsorted(ids, found),
        shape=(len(resources), n_days),
        first=first,
        last=last,
        only=only,
        scenario_id=scenario_id,
        committed_only=committed_only,
        worth={r[0]: 1.0 for r in resources},
    )
    codes = sorted({r[5] for r in resources})
    position = {c: i for i, c in enumerate(codes)}
    masks = np.array([calendars.working(c, first, last, overrides) for c in codes], dtype=bool)
    counted = masks[[position[r[5]] for r in resources]]
    dates = np.arange(n_days) + np.datetime64(first, "D")
    for pk, windows in off.items():
        i = int(np.searchsorted(ids, pk))
        for lo, hi in windows:
            counted[i] &= (dates < np.datetime64(lo, "D")) | (dates > np.datetime64(hi, "D"))
    return cap - demand, counted


def find_available(
    *,
    first: dt.date,
    last: dt.date,
    only: ResourceFilter | None = None,
    need: float | None = None,
    scenario_id: int | None = None,
    committed_only: bool = False,
    limit: int = 100,
) -> Availability:
    """The active resources ``only`` keeps with capacity left in ``first..last`` (in the
    current plan, or in ``scenario_id``; with ``committed_only`` proposed allocations do not
    count as demand), most room first: free by ``need`` on every counted day first, then by
    the least and the mean free FTE, then by name. A resource is listed when its mean free
    FTE is above zero; one with no counted day in the window (not yet hired, gone, on leave
    throughout) is not. Five queries, whatever the number of resources or allocations."""
    if last < first:
        raise ValueError("last before first")
    only = only or ResourceFilter()
    # plain rows: a model instance per resource took half the time of 3,000 resources; only
    # the listed ones are read as resources, at the end
    resources = list(
        Resource.objects.filter(only.q())
        .order_by("pk")
        .values_list(
            "pk",
            "fte",
            "available_from",
            "available_until",
            "active",
            "calendar",
            "name",
            "name_zh",
        )
    )
    spans = periods(first, (last - first).days // 7 + 2, "week")
    spans = [p for p in spans if p.first <= last]
    if not resources:
        return Availability(first, last, need, spans, [], 0, 0, ())
    overrides = calendars.load_overrides()
    codes = sorted({r[5] for r in resources})
    free, counted = free_by_day(
        resources,
        first=first,
        last=last,
        only=only,
        scenario_id=scenario_id,
        committed_only=committed_only,
        overrides=overrides,
    )
    days = counted.sum(axis=1)
    mean = (free * counted).sum(axis=1) / np.maximum(days, 1)
    least = np.where(counted, free, np.inf).min(axis=1, initial=np.inf)
    fits = least + EPSILON >= need if need is not None else np.ones(len(resources), dtype=bool)

    def order(i: int) -> tuple[bool, float, float, str, int]:
        name = pick(resources[i][6], resources[i][7])
        return (not fits[i], -round(float(least[i]), 2), -round(float(mean[i]), 2), name.lower(), i)

    listed = sorted(
        (i for i, r in enumerate(resources) if r[4] and days[i] and mean[i] > EPSILON), key=order
    )
    shown = listed[:limit]
    bounds = np.array([max((p.first - first).days, 0) for p in spans], dtype=np.int64)
    week_free = np.add.reduceat(free[shown] * counted[shown], bounds, axis=1)
    week_days = np.add.reduceat(counted[shown], bounds, axis=1)
    found = Resource.objects.select_related("org_unit").in_bulk([resources[i][0] for i in shown])
    rows = [
        Free(
            found[resources[i][0]],
            tuple(
                round(float(f / d), 2) if d else None
                for f, d in zip(week_free[k], week_days[k], strict=True)
            ),
            round(float(least[i]), 2),
            round(float(mean[i]), 2),
            bool(fits[i]),
        )
        for k, i in enumerate(shown)
    ]
    return Availability(
        first=first,
        last=last,
        need=need,
        periods=spans,
        rows=rows,
        found=len(listed),
        fitting=int(fits[listed].sum()),
        assumed_years=calendars.assumed_years(codes, first, last, overrides),
    )

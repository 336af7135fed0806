"""The drill-down of a heat-map cell: the projects demanding a group's capacity in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from pmo.core.errors import NotFoundError
from pmo.core.i18n import is_chinese
from pmo.core.models import as_id
from pmo.core.sentences import quoted
from pmo.resources import calendars
from pmo.resources.filters import ResourceFilter
from pmo.resources.models import Allocation, AllocationStatus, CapacityChange

__all__ = ["CauseRow", "list_cell_causes"]


@dataclass(frozen=True)
class CauseRow:
    """One project's demand in a heat-map cell, in the heat map's unit (FTE or hours)."""

    project_id: int
    code: str
    name: str
    priority: int
    demand: float
    committed: float
    proposed: float


def _group_filter(by: str, key: str) -> dict[str, object]:
    if by == "role":
        return {"resource__role": key}
    pk = as_id(key)
    if pk is None:
        raise ValueError(key)
    return {"resource__org_unit_id": pk} if by == "org_unit" else {"resource_id": pk}


def list_cell_causes(
    *,
    by: str,
    key: str,
    first: dt.date,
    last: dt.date,
    scenario_id: int | None = None,
    unit: str = "fte",
    only: ResourceFilter | None = None,
    committed_only: bool = False,
) -> list[CauseRow]:
    """The projects demanding a group's capacity between ``first`` and ``last``, biggest first.

    Each project's figure is, as in the heat map, its FTE-days on the days its resources
    work (by their calendars) divided by the period's Monday-Friday days, so the rows add up
    to the cell's demand; with ``unit="hours"``, person-hours in the period (FTE times the
    resource's hours per day on each day it works). ``committed_only`` leaves proposed
    allocations out, as the heat map's "committed only" view does.
    """
    try:
        condition = _group_filter(by, key)
    except ValueError:
        raise NotFoundError(
            _("no %(grouping)s %(key)s") % {"grouping": by, "key": quoted(key)}
        ) from None
    found = Allocation.objects.filter(
        (only or ResourceFilter()).q("resource__"),
        **{"scenario_id": scenario_id},
        first__lte=last,
        last__gte=first,
        **condition,
    )
    if committed_only:
        found = found.filter(status=AllocationStatus.COMMITTED)
    rows = list(
        found.values_list(
            "project_id",
            "project__code",
            "project__name",
            "project__priority",
            "first",
            "last",
            "fte",
            "status",
            "resource__calendar",
            "resource__hours_per_day",
            "project__name_zh",
            "resource_id",
        )
    )
    days = max(int(np.busday_count(first, last + dt.timedelta(days=1))), 1)
    if unit == "hours":
        days = 1
    if not rows:
        return []
    # days each row's resource works within the cell, by its calendar (prefix sums)
    overrides = calendars.load_overrides()
    worked = {
        code: np.concatenate(([0], np.cumsum(calendars.working(code, first, last, overrides))))
        for code in {r[8] for r in rows}
    }

    def worked_in(code: str, lo: dt.date, hi: dt.date) -> float:
        """Days the calendar works in ``lo..hi`` (inside the cell)."""
        return float(worked[code][(hi - first).days + 1] - worked[code][(lo - first).days])

    overlap = [worked_in(r[8], max(r[4], first), min(r[5], last)) for r in rows]
    # an absence of the row's resource is time off: its work pauses, as in the heat map
    off: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for resource_id, off_first, off_last, fte in CapacityChange.objects.filter(
        **{"scenario_id": scenario_id},
        resource_id__in={r[11] for r in rows},
        fte=0,
        first__lte=last,
        last__gte=first,
    ).values_list("resource_id", "first", "last", "fte"):
        if calendars.is_absence(fte, off_first, off_last):
            off.setdefault(resource_id, []).append((off_first, off_last))
    for j, lo, hi in calendars.absence_overlaps(
        ((j, r[11], max(r[4], first), min(r[5], last)) for j, r in enumerate(rows)), off
    ):
        overlap[j] -= worked_in(rows[j][8], lo, hi)
    overlap = [share / days for share in overlap]
    causes: dict[int, list[float]] = {}
    info: dict[int, tuple[str, str, int]] = {}
    zh = is_chinese()  # once, not per row
    for row, share in zip(rows, overlap, strict=True):
        entry = causes.setdefault(row[0], [0.0, 0.0])
        worth = float(row[9]) if unit == "hours" else 1.0
        entry[0 if row[7] == "committed" else 1] += float(row[6]) * worth * float(share)
        info[row[0]] = (row[1], (zh and row[10]) or row[2], row[3])
    result = [
        CauseRow(
            project_id=pid,
            code=info[pid][0],
            name=info[pid][1],
            priority=info[pid][2],
            demand=round(c + p, 2),
            committed=round(c, 2),
            proposed=round(p, 2),
        )
        for pid, (c, p) in causes.items()
    ]
    result.sort(key=lambda r: (-r.demand, r.code))
    return [r for r in result if r.demand > 0]

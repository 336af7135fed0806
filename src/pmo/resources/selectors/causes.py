"""The drill-down of a heat-map cell: the projects demanding a group's capacity in it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _

from pmo.accounts.selectors import get_org_unit
from pmo.core.errors import NotFoundError
from pmo.core.i18n import is_chinese
from pmo.core.models import as_id
from pmo.core.sentences import quoted
from pmo.resources import calendars
from pmo.resources.filters import ResourceFilter, role_names
from pmo.resources.models import Allocation, AllocationStatus, CapacityChange, Resource
from pmo.resources.selectors.twice import counted_twice

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
    # the project's plan and a hand-entered row give the same resource work on some of the
    # same days: both are counted (selectors.counted_twice)
    counted_twice: bool = False


def _group_filter(by: str, key: str) -> Q:
    """The allocations of the heat-map row ``key`` of grouping ``by``: a role by its name
    (any case, or its Chinese name), an org unit or a resource by its id (the rows' keys) or
    its code. A name or an id costs no query (:func:`_check_group` looks further when they
    find nothing); a code that names none, or no key, is a :class:`NotFoundError`."""
    key = key.strip()
    if by == "role":
        if not key:  # the empty filter would keep every role
            raise NotFoundError(_("no role %(role)s") % {"role": quoted(key)})
        return ResourceFilter(role=key).q("resource__")
    pk = as_id(key)
    if by == "org_unit":
        return Q(resource__org_unit_id=pk if pk is not None else get_org_unit(key).pk)
    return Q(resource_id=pk if pk is not None else _resource_by_code(key))


def _check_group(by: str, key: str) -> Q | None:
    """For a row ``key`` that found no allocations: a :class:`NotFoundError` when it names no
    role, org unit or resource; the condition on the resource whose code it is when it is a
    number that is no resource's id but a resource's code (ids first, as org units have them:
    :func:`pmo.accounts.selectors.get_org_unit`); ``None`` when it names one with no work."""
    key = key.strip()
    if by == "role":
        if not role_names(key):
            raise NotFoundError(_("no role %(role)s") % {"role": quoted(key)})
        return None
    if by == "org_unit":
        get_org_unit(key)
        return None
    pk = as_id(key)
    if pk is None or Resource.objects.filter(pk=pk).exists():
        return None  # a code was looked up already
    return Q(resource_id=_resource_by_code(key))


def _resource_by_code(code: str) -> int:
    """The id of the resource of code ``code`` (the exact code, else the one equal but for
    case: codes may not differ by case only), or :class:`NotFoundError`."""
    resources = Resource.objects.order_by()
    pk = (
        resources.filter(code=code).values_list("pk", flat=True).first()
        or resources.filter(code__iexact=code).values_list("pk", flat=True).first()
    )
    if pk is None:
        raise NotFoundError(_("no resource with code or id %(ref)s") % {"ref": quoted(code)})
    return pk


def _shares(values: list[float], digits: int = 2) -> list[float]:
    """``values`` rounded to ``digits`` decimals so that they add up to their total rounded
    the same way, as the heat map rounds the cell (largest remainder: the lines that lost
    most to rounding get the hundredths left over).

    Examples
    --------
    >>> [round(v, 2) for v in (1.786, 1.786, 1.768)], round(1.786 + 1.786 + 1.768, 2)
    ([1.79, 1.79, 1.77], 5.34)
    >>> _shares([1.786, 1.786, 1.768])
    [1.79, 1.78, 1.77]
    """
    scale = 10**digits
    cents = [v * scale for v in values]
    floors = [math.floor(c + 1e-9) for c in cents]
    left = round(sum(cents)) - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (floors[i] - cents[i], i))
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return [f / scale for f in floors]


def _rows(
    group: Q,
    first: dt.date,
    last: dt.date,
    scenario_id: int | None,
    only: ResourceFilter | None,
    committed_only: bool,
) -> list[tuple[Any, ...]]:
    """The allocations of a heat-map row (``group``) in the cell, with what the causes read."""
    found = Allocation.objects.filter(
        group,
        (only or ResourceFilter()).q("resource__"),
        **{"scenario_id": scenario_id},
        first__lte=last,
        last__gte=first,
    )
    if committed_only:
        found = found.filter(status=AllocationStatus.COMMITTED)
    return list(
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
            "source",
        )
    )


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
    to the cell's demand (each rounded so that the shown figures add up to the cell as shown:
    :func:`_shares`); with ``unit="hours"``, person-hours in the period (FTE times the
    resource's hours per day on each day it works). ``committed_only`` leaves proposed
    allocations out, as the heat map's "committed only" view does.
    """
    rows = _rows(_group_filter(by, key), first, last, scenario_id, only, committed_only)
    if not rows and (other := _check_group(by, key)) is not None:
        rows = _rows(other, first, last, scenario_id, only, committed_only)
    days = max(int(np.busday_count(first, last + dt.timedelta(days=1))), 1)
    if unit == "hours":
        days = 1
    if not rows:
        return []
    # days each row's resource works within the cell, by its calendar, less its absences:
    # the heat map's rule (calendars.counted_days), so the rows add up to the cell
    changes = CapacityChange.objects.filter(
        **{"scenario_id": scenario_id},
        resource_id__in={r[11] for r in rows},
        fte=0,
        first__lte=last,
        last__gte=first,
    ).values_list("resource_id", "first", "last", "fte")
    overlap: list[float] = [
        float(d)
        for d in calendars.counted_days(
            [(r[8], r[11], max(r[4], first), min(r[5], last)) for r in rows],
            calendars.load_overrides(),
            calendars.absences(changes),
        )
    ]
    overlap = [share / days for share in overlap]
    twice = {
        rows[j][0]
        for j in counted_twice(
            (j, r[0], r[11], r[12], max(r[4], first), min(r[5], last)) for j, r in enumerate(rows)
        )
    }
    causes: dict[int, list[float]] = {}
    info: dict[int, tuple[str, str, int]] = {}
    zh = is_chinese()  # once, not per row
    for row, share in zip(rows, overlap, strict=True):
        entry = causes.setdefault(row[0], [0.0, 0.0])
        worth = float(row[9]) if unit == "hours" else 1.0
        entry[0 if row[7] == "committed" else 1] += float(row[6]) * worth * float(share)
        info[row[0]] = (row[1], (zh and row[10]) or row[2], row[3])
    # the lines add up to the cell as the heat map rounds it (FTE to 2 decimals, hours to 1)
    digits = 1 if unit == "hours" else 2
    shown = _shares([c + p for c, p in causes.values()], digits)
    result = []
    for (pid, (c, p)), demand in zip(causes.items(), shown, strict=True):
        committed = min(round(c, digits), demand) if p else demand
        result.append(
            CauseRow(
                project_id=pid,
                code=info[pid][0],
                name=info[pid][1],
                priority=info[pid][2],
                demand=demand,
                committed=committed,
                proposed=round(demand - committed, digits),
                counted_twice=pid in twice,
            )
        )
    result.sort(key=lambda r: (-r.demand, r.code))
    return [r for r in result if r.demand > 0]

"""Requests to commit: the proposed allocations of the current plan, each with what
committing it would do to its resource.

A project manager proposes ("Java developer pool, 0.5 FTE, January to March"); a resource
manager decides. Before deciding they ask: does the resource have room for it among the
work it is already committed to? A request **fits** when, on every day of its window that
the resource works (its calendar's working days, less its absences), the resource's
capacity less its committed demand is at least the request's FTE, so committing it
overloads the resource on no day. The other proposals do not count (they are requests
too, and may be declined); ``with_proposals`` says whether it still fits if every other
proposal on the resource were committed as well. The same per-day reading as "Who is
free?" (:mod:`pmo.resources.heatmap.availability`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from pmo.audit.display import actor_name
from pmo.audit.models import AuditEvent
from pmo.portfolio.models import ENDED_STATES
from pmo.resources import calendars
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.availability import free_by_day
from pmo.resources.heatmap.cells import EPSILON
from pmo.resources.models import Allocation, AllocationStatus, Resource

__all__ = ["MAX_REQUEST_DAYS", "Request", "Requests", "pending_requests"]

# days of a request read: a request is judged on its days in the five years from today (or
# from its first day, when it starts later than that: a staffing request, not a standing
# assignment)
MAX_REQUEST_DAYS = 5 * 366


@dataclass(frozen=True)
class Request:
    """One proposed allocation and what committing it would do."""

    allocation: Allocation  # with its project, resource and the resource's org unit
    least_free: float | None  # the least free FTE on a counted day from today (committed
    # demand only); None: no such day (it ended before today, or the resource works none)
    over_days: int  # counted days it would overload the resource on
    with_proposals: bool  # it fits even with every other proposal on the resource committed
    asked_by: str  # who proposed it or changed it last ("" when no audit event names it)
    asked_at: dt.datetime | None

    @property
    def fits(self) -> bool:
        """Committing it overloads the resource on no counted day."""
        return self.over_days == 0

    @property
    def over_already(self) -> float:
        """By how much the committed work alone already overloads the resource on its
        tightest day (0 when it has room there)."""
        least = self.least_free
        return round(-least, 2) if least is not None and least < 0 else 0.0


@dataclass(frozen=True)
class Requests:
    rows: list[Request]  # earliest first, at most ``limit``
    total: int  # requests the filters keep (``len(rows)`` or more)

    @property
    def fitting(self) -> int:
        """Of the rows, those that fit on some working day left (one with no day left fits
        vacuously: not counted)."""
        return sum(r.fits and r.least_free is not None for r in self.rows)


def pending_requests(
    *,
    only: ResourceFilter | None = None,
    project_id: int | None = None,
    limit: int = 500,
    today: dt.date | None = None,
    overrides: calendars.Overrides | None = None,
    asked: bool = True,
) -> Requests:
    """The proposed allocations of the current plan (of projects not closed or cancelled) on
    the resources ``only`` keeps (of
    ``project_id`` only, if given), earliest first, with whether each fits from ``today``
    on (the days before are done: committing cannot change them, as leveling starts today).
    ``overrides`` are the calendar days entered by hand if the caller has read them; without
    ``asked`` nobody is named as having asked (two queries fewer).
    The same queries whatever the number of requests (four more for each that starts five
    years after the earliest, judged on its own)."""
    only = only or ResourceFilter()
    today = today or timezone.localdate()
    found = Allocation.objects.filter(
        only.q("resource__"), scenario__isnull=True, status=AllocationStatus.PROPOSED
    ).exclude(project__state__in=ENDED_STATES)  # closed or cancelled: nothing left to staff
    if project_id is not None:
        found = found.filter(project_id=project_id)
    total = found.count()
    proposed = list(
        found.select_related("project", "resource", "resource__org_unit").order_by(
            "first", "project__code", "pk"
        )[:limit]
    )
    if not proposed:
        return Requests([], total)
    first = max(min(a.first for a in proposed), today)
    last = min(max(a.last for a in proposed), first + dt.timedelta(days=MAX_REQUEST_DAYS - 1))
    last = max(last, first)  # all in the past: one day read, none counted
    resources = {
        r[0]: r
        for r in Resource.objects.filter(pk__in={a.resource_id for a in proposed}).values_list(
            "pk", "fte", "available_from", "available_until", "active", "calendar"
        )
    }
    overrides = calendars.load_overrides() if overrides is None else overrides
    near = [a for a in proposed if a.first <= last]
    judged = _judge(near, resources, first, last, overrides)
    for far in proposed:  # starting five years after the others: rare, judged one by one
        if far.first > last:
            end = min(far.last, far.first + dt.timedelta(days=MAX_REQUEST_DAYS - 1))
            judged.update(_judge([far], resources, far.first, end, overrides))
    who_asked = _asked(proposed) if asked else {}
    rows = []
    for allocation in proposed:
        least, over, with_proposals = judged[allocation.pk]
        who, when = who_asked.get(allocation.pk, ("", None))
        rows.append(
            Request(
                allocation=allocation,
                least_free=least,
                over_days=over,
                with_proposals=with_proposals,
                asked_by=who,
                asked_at=when,
            )
        )
    return Requests(rows, total)


Judged = tuple[float | None, int, bool]  # least free FTE, days overloaded, fits with all


def _judge(
    requests: list[Allocation],
    resources: dict[int, tuple[Any, ...]],
    first: dt.date,
    last: dt.date,
    overrides: calendars.Overrides,
) -> dict[int, Judged]:
    """Each of ``requests`` judged on its days in ``first..last``: four queries for all."""
    ids = tuple(sorted({a.resource_id for a in requests}))
    rows = [resources[pk] for pk in ids]
    mine = ResourceFilter(ids=ids)
    # free beside the committed work, and beside every allocation (the proposals too)
    (committed, counted), (everything, _counted) = (
        free_by_day(
            rows,
            first=first,
            last=last,
            only=mine,
            scenario_id=None,
            committed_only=committed_only,
            overrides=overrides,
        )
        for committed_only in (True, False)
    )
    row = {pk: i for i, pk in enumerate(ids)}
    judged: dict[int, Judged] = {}
    for allocation in requests:
        i = row[allocation.resource_id]
        lo = max((allocation.first - first).days, 0)
        # one past the last day read; lo when it ended before ``first`` (no day left)
        hi = max(min((allocation.last - first).days + 1, len(counted[i])), lo)
        days = counted[i][lo:hi]
        fte = float(allocation.fte)
        free = committed[i][lo:hi][days]
        # every proposal counted, this one included: its own FTE is added back
        free_all = everything[i][lo:hi][days] + fte
        least = round(float(free.min()), 2) if free.size else None
        judged[allocation.pk] = (least, _overloaded(free, fte), _overloaded(free_all, fte) == 0)
    return judged


def _asked(allocations: list[Allocation]) -> dict[int, tuple[str, dt.datetime]]:
    """Who created or last changed each allocation, and when (its latest audit event), named
    as the change history names people (:func:`pmo.audit.display.actor_name`)."""
    events = (
        AuditEvent.objects.filter(
            object_type=Allocation._meta.label_lower,
            object_id__in=[str(a.pk) for a in allocations],
        )
        .select_related("actor__person")
        # what actor_name reads, no more: the page lists up to 500 requests
        .only(
            "object_id",
            "timestamp",
            "actor_name",
            "actor__first_name",
            "actor__last_name",
            "actor__person__name",
            "actor__person__name_zh",
        )
        .order_by("-timestamp", "-id")
    )
    latest: dict[int, tuple[str, dt.datetime]] = {}
    for event in events:
        if int(event.object_id) not in latest:
            latest[int(event.object_id)] = (actor_name(event), event.timestamp)
    return latest


def _overloaded(free: np.ndarray, fte: float) -> int:
    """Days of ``free`` (free FTE per counted day) that ``fte`` more would overload."""
    return int((free + EPSILON < fte).sum())

"""Each dependency's dates and its one margin (ADR 0005, "At risk is automatic").

The supplier's date (its forecast, or its actual date once done; its start for
start-to-start) is held against the **earlier** of two limits, in working days of the
consumer's calendar:

- the **agreed date** (the supplier's commitment): working days the supplier's date may
  still move before it passes that date; past it (by calendar date) the margin is below 0;
- the **consumer's need**: the working days between the supplier's date and the date the
  consumer needs it (its current date) less the lag, exactly as the impact network counts a
  cross-project link's slack (:func:`pmo.dependencies.adapters.load_network`).

A margin of N is N working days the supplier may still slip before it breaks either; below
0 the link is late by that many and the portfolio turns it at risk
(:func:`pmo.dependencies.status.automatic_status`); the register's "late" and "tight"
filters read the same number. A link that is settled has no margin (``None``): its
supplier's item is done (it delivered), its consumer's item is done (it no longer waits) or
it is resolved or broken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pmo.dependencies.adapters.calendars import project_calendars
from pmo.dependencies.models import Dependency, DependencyStatus, DependencyType
from pmo.scheduling.walltime import from_db

__all__ = [
    "MARGIN_RELATED",
    "DependencyDates",
    "MarginTo",
    "Side",
    "dependency_dates",
    "side_dates",
]

#: What :func:`dependency_dates` reads of a dependency (``select_related``).
MARGIN_RELATED = (
    "supplier_milestone",
    "supplier_task",
    "supplier_gate",
    "consumer_milestone",
    "consumer_task",
    "consumer_gate",
    "consumer_project__org_unit",
)


@dataclass(frozen=True, slots=True)
class Side:
    """One side's dates: ``start`` and ``finish`` (equal for a milestone or a gate) and
    whether it is done (its dates are then its actual ones)."""

    start: dt.date | None
    finish: dt.date | None
    done: bool


class MarginTo:
    """Which limit a margin is counted to."""

    AGREED = "agreed"
    CONSUMER = "consumer"


#: A link in one of these statuses is settled: it has no margin.
_SETTLED_STATUSES = (DependencyStatus.RESOLVED, DependencyStatus.BROKEN)


@dataclass(frozen=True, slots=True)
class DependencyDates:
    """``supplier_date``: the supplier's finish (its start for start-to-start);
    ``consumer_date``: when the consumer needs it (its start; a milestone's or gate's date);
    ``margin``: working days to the earlier of the agreed date and the consumer's need, less
    the lag (``None`` when the link is settled or no limit is dated); ``margin_to``: which
    of the two it is counted to (:class:`MarginTo`, empty without a margin); ``settled``:
    either item is done or the link is resolved or broken."""

    supplier_date: dt.date | None
    supplier_done: bool
    consumer_date: dt.date | None
    consumer_done: bool
    margin: int | None
    margin_to: str = ""
    settled: bool = False

    @property
    def late_by(self) -> int:
        """Working days the link is late (0 when it is not)."""
        return -self.margin if self.margin is not None and self.margin < 0 else 0

    @property
    def late(self) -> bool:
        """Past the agreed date or too late for the consumer: the link is at risk."""
        return self.within(-1)

    def within(self, bound: int) -> bool:
        """Still open with a margin of at most ``bound`` working days (the register's
        filters: ``-1`` late, ``5`` tight; the at-risk rule is :attr:`late`)."""
        return self.margin is not None and self.margin <= bound


def _day(value: dt.datetime | None) -> dt.date | None:
    wall = from_db(value)
    return wall.date() if wall is not None else None


def side_dates(dep: Dependency, side: str) -> Side:
    """The dates of the milestone, gate or task on ``side`` (``supplier`` or ``consumer``)."""
    gate = getattr(dep, f"{side}_gate") if getattr(dep, f"{side}_gate_id") else None
    if gate is not None:
        day = gate.actual or gate.forecast
        return Side(day, day, gate.actual is not None)
    milestone = getattr(dep, f"{side}_milestone") if getattr(dep, f"{side}_milestone_id") else None
    if milestone is not None:
        day = milestone.actual_date or milestone.forecast_date or milestone.baseline_date
        return Side(day, day, milestone.actual_date is not None)
    task = getattr(dep, f"{side}_task") if getattr(dep, f"{side}_task_id") else None
    if task is not None:
        finish = _day(task.finish)
        return Side(
            _day(task.start) or finish,
            finish,
            task.actual_finish is not None or task.percent_complete >= 100,
        )
    return Side(None, None, False)


def dependency_dates(deps: Iterable[Dependency]) -> dict[int, DependencyDates]:
    """The dates and margin of each of ``deps`` by id (load them with
    ``select_related(*MARGIN_RELATED)``); the consumers' calendars are built once."""
    rows = list(deps)
    sides = {d.pk: (side_dates(d, "supplier"), side_dates(d, "consumer")) for d in rows}
    projects: dict[int, dict[str, Any]] = {
        d.consumer_project_id: {"org_unit__path": d.consumer_project.org_unit.path} for d in rows
    }
    dates = [
        day for s, c in sides.values() for day in (s.start, s.finish, c.start) if day is not None
    ] + [d.agreed_date + _DAY for d in rows if d.agreed_date is not None]
    calendars = project_calendars(projects, dates, only_these=True) if dates else {}
    out: dict[int, DependencyDates] = {}
    for d in rows:
        supplier, consumer = sides[d.pk]
        start_to_start = d.type == DependencyType.SS
        supplied = supplier.start if start_to_start else supplier.finish
        settled = supplier.done or consumer.done or d.status in _SETTLED_STATUSES
        margin: int | None = None
        margin_to = ""
        if supplied is not None and not settled:
            days = calendars[d.consumer_project_id]
            limits: list[tuple[int, str]] = []
            if d.agreed_date is not None:
                # working days in (supplied, agreed]: how far it may move and stay on or
                # before the agreed date; a date past it is late even if no working day is
                limits.append((_to_agreed(days.between, supplied, d.agreed_date), MarginTo.AGREED))
            if consumer.start is not None:
                room = days.between(supplied, consumer.start)
                need = room - d.lag if start_to_start else room - 1 - d.lag
                limits.append((need, MarginTo.CONSUMER))
            if limits:  # the tighter one; on a tie, the commitment (listed first)
                margin, margin_to = min(limits, key=lambda limit: limit[0])
        out[d.pk] = DependencyDates(
            supplied, supplier.done, consumer.start, consumer.done, margin, margin_to, settled
        )
    return out


_DAY = dt.timedelta(days=1)


def _to_agreed(
    between: Callable[[dt.date, dt.date], int], supplied: dt.date, agreed: dt.date
) -> int:
    """Working days ``supplied`` may move later and stay on or before ``agreed`` (below 0:
    past it by that many; at most -1 when past it by calendar date at all)."""
    room = between(supplied + _DAY, agreed + _DAY)
    return min(room, -1) if supplied > agreed else room

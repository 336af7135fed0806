"""Each dependency's dates and margin: the supplier's date (its forecast, or its actual date
once done), the date the consumer needs it (its current date) and the working days between
them less the lag, counted in the consumer's calendar exactly as the impact network counts a
cross-project link's slack (:func:`pmo.dependencies.adapters.load_network`): a margin of N is
N working days the supplier may still slip before the consumer's date has to move; below 0
the consumer's date is already earlier than the supplier allows (late by that many days)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pmo.dependencies.adapters.calendars import project_calendars
from pmo.dependencies.models import Dependency, DependencyType
from pmo.scheduling.walltime import from_db

__all__ = ["MARGIN_RELATED", "DependencyDates", "Side", "dependency_dates", "side_dates"]

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


@dataclass(frozen=True, slots=True)
class DependencyDates:
    """``supplier_date``: the supplier's finish (its start for start-to-start);
    ``consumer_date``: when the consumer needs it (its start; a milestone's or gate's date);
    ``margin``: working days of room less the lag (``None`` when a date is missing)."""

    supplier_date: dt.date | None
    supplier_done: bool
    consumer_date: dt.date | None
    consumer_done: bool
    margin: int | None

    @property
    def late_by(self) -> int:
        """Working days the consumer's date is too early (0 when it is not)."""
        return -self.margin if self.margin is not None and self.margin < 0 else 0


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
    ]
    calendars = project_calendars(projects, dates, only_these=True) if dates else {}
    out: dict[int, DependencyDates] = {}
    for d in rows:
        supplier, consumer = sides[d.pk]
        start_to_start = d.type == DependencyType.SS
        supplied = supplier.start if start_to_start else supplier.finish
        margin = None
        if supplied is not None and consumer.start is not None:
            room = calendars[d.consumer_project_id].between(supplied, consumer.start)
            margin = room - d.lag if start_to_start else room - 1 - d.lag
        out[d.pk] = DependencyDates(supplied, supplier.done, consumer.start, consumer.done, margin)
    return out

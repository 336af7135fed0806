"""Resources of an XLSX plan as an export writes them: the ``Resources`` sheet's rows, each
task's ``Resource names`` cell and the resources' own calendar exceptions, so that reading the
workbook back (:mod:`pmo.interop.xlsx_resources`) gives the same calendars and task dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pmo.interop.xlsx_layout import NO_CALENDAR
from pmo.interop.xlsx_resources import NAME_LENGTH, SEPARATORS, folded, resource_key
from pmo.scheduling.planio import CalendarData, ExceptionData, Hours, PlanData

__all__ = ["WrittenResources", "written_resources"]


@dataclass
class WrittenResources:
    """What an export writes about resources: the Resources sheet's rows (``None``: no
    resources), each task's Resource names cell and the resources' calendar exceptions."""

    rows: list[list[Any]] | None
    cells: dict[int, str]
    exceptions: list[tuple[str, ExceptionData]]


def _percent(units: float) -> str:
    return format(round(units * 100, 4), "g")


def _writable_names(data: PlanData) -> dict[int, str]:
    """Each resource's name as the column can hold it, unique as names are compared.

    Microsoft Project refuses ``,`` and ``[ ]`` in a name; a name from elsewhere has them
    replaced (``(`` ``)``, a space), and a name met twice gets its UID (``Li Na (7)``).
    """
    names: dict[int, str] = {}
    seen: set[str] = set()
    for r in data.resources:
        name = "".join(
            {"[": "(", "]": ")"}.get(folded(c), " " if SEPARATORS.match(folded(c)) else c)
            for c in r.name
        )
        name = " ".join(name.split())[: NAME_LENGTH - 12] or f"Resource {r.uid}"
        if resource_key(name) in seen:
            name = f"{name} ({r.uid})"
        seen.add(resource_key(name))
        names[r.uid] = name
    return names


def _chain(data: PlanData, uid: int | None) -> list[CalendarData]:
    by_uid = {c.uid: c for c in data.calendars}
    out: list[CalendarData] = []
    while uid is not None and uid in by_uid and by_uid[uid] not in out:
        out.append(by_uid[uid])
        uid = by_uid[uid].base_uid
    return out


def _flat(calendars: list[CalendarData]) -> list[ExceptionData]:
    """The exceptions of a calendar and its bases, the calendar's own first (they win)."""
    out: list[ExceptionData] = []
    for calendar in calendars:
        out += [
            e
            for e in calendar.exceptions
            if not any(e.first <= o.last and o.first <= e.last for o in out)
        ]
    return out


def _week(week: list[Hours] | None) -> list[list[tuple[int, int]]] | None:
    return None if week is None else [[(int(a), int(b)) for a, b in day] for day in week]


def written_resources(
    data: PlanData, plan: CalendarData, word: Callable[[str], str], hours: Callable[[Hours], str]
) -> WrittenResources:
    """The resources of ``data`` as the workbook writes them, read back to the same calendars.

    ``plan`` is the plan's calendar as the Plan sheet writes it, ``word`` names a key in the
    export's language and ``hours`` writes a day's working hours. A resource calendar that
    inherits the plan's (through its bases) and keeps its holidays leaves ``Calendar`` empty and
    writes only its own exceptions; any other is written whole with its ``Calendar``.
    """
    names = _writable_names(data)
    cells: dict[int, list[str]] = {}
    for a in data.assignments:
        if a.resource_uid in names:
            units = "" if abs(a.units - 1) < 1e-9 else f"[{_percent(a.units)}%]"
            cells.setdefault(a.task_uid, []).append(names[a.resource_uid] + units)
    if not data.resources:
        return WrittenResources(rows=None, cells={}, exceptions=[])
    rows: list[list[Any]] = []
    exceptions: list[tuple[str, ExceptionData]] = []
    plan_week = _week(plan.week)
    for r in data.resources:
        chain = _chain(data, r.calendar_uid)
        if not chain:  # a work resource (as MSPDI writes every resource: Type 1) without a
            # calendar: it changes no task's working time, which Calendar "None" reads back as
            rows.append([names[r.uid], word("Work"), word(NO_CALENDAR)])
            continue
        through = next((k for k, c in enumerate(chain) if c.uid == data.calendar_uid), None)
        week = _week(next((c.week for c in chain if c.week is not None), None) or plan.week)
        holidays = next((c.holidays for c in chain if c.holidays), "")
        own = holidays != plan.holidays or (through is None and bool(plan.exceptions))
        days = _flat(chain if own or through is None else chain[:through])
        exceptions += [(names[r.uid], e) for e in days]
        row: list[Any] = [
            names[r.uid],
            word("Work"),
            word("China" if holidays == "CN" else "Standard") if own else "",
        ]
        if week != plan_week or own:
            row += [hours(day) for day in week or []]
        rows.append(row)
    return WrittenResources(
        rows=rows, cells={uid: ", ".join(v) for uid, v in cells.items()}, exceptions=exceptions
    )

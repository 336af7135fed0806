"""Resources of an XLSX plan: who works on each task and on which calendar.

Three places of the workbook (``docs/xlsx-plan-template.md``, section *Resources*):

- column ``Resource names`` of sheet ``Tasks``: ``Zhang Wei[50%], Li Na`` as Microsoft Project
  writes it (units in percent, none for 100 %);
- sheet ``Resources``: one row per resource, ``Name``, ``Type`` (``Work``, or ``Material`` and
  ``Cost``, which have no calendar), ``Calendar`` (``Standard``/``China``, or ``None``) and
  the working hours ``Monday`` ... ``Sunday`` when they are not the plan's;
- column ``Resource`` of sheet ``Calendar exceptions``: whose day a row is (empty: the plan's).

A resource whose ``Calendar`` cell is empty works the plan's calendar with its own changes (its
week, its exceptions on top of the plan's), as a Microsoft Project resource calendar derived from
the project's; a ``Calendar`` cell filled in gives it a calendar of its own (that holiday source,
its week or the plan's, only its own exceptions); ``None`` (``无``) says a work resource has no
calendar at all: its tasks keep their own calendar or the plan's (a resource booked from
staffing, an MSPDI resource without a CalendarUID). A name in the column that is not on the sheet
is a new resource on the plan's calendar (Microsoft Project adds it the same way).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.core.sentences import join_sentences, quoted
from pmo.interop.errors import ImportFileError
from pmo.interop.xlsx_cells import parse_hours, read_header, records
from pmo.interop.xlsx_layout import (
    NO_CALENDAR,
    RESOURCE_CALENDARS,
    RESOURCE_COLUMNS,
    RESOURCE_NAMES,
    RESOURCE_TYPES,
    RESOURCES,
    WEEKDAYS,
    key_of,
    name_in,
)
from pmo.scheduling.planio import (
    AssignmentData,
    CalendarData,
    ExceptionData,
    Hours,
    ResourceData,
    TaskData,
)

__all__ = [
    "MAX_RESOURCE_ROWS",
    "MAX_UNITS",
    "NAME_LENGTH",
    "SEPARATORS",
    "folded",
    "parse_assignments",
    "read_resources",
    "resource_key",
]

MAX_UNITS = 100.0
"""10,000 %: more on one task is a typing mistake (``5000`` for 50 %), not a plan."""
MAX_RESOURCE_ROWS = 10_000
MAX_ERRORS = 200  # in the answer's errors, as the capacity sheet's; more is a systematic mistake
MAX_LISTED = 20  # in the message
NAME_LENGTH = 200  # as pmo.scheduling's Resource.name
SEPARATORS = re.compile(r"[,;、]")
_BRACKETS = str.maketrans({"【": "[", "】": "]"})
_ITEM = re.compile(r"(?P<name>[^\[\]]+?)\s*(?:\[\s*(?P<units>[^\[\]]*?)\s*\])?")
_UNITS = re.compile(r"[+-]?\d+(?:\.\d+)?")


def folded(text: object) -> str:
    """Full-width forms folded (［５０％］ → [50%], ， → ,) and 【】 read as []."""
    return unicodedata.normalize("NFKC", str(text if text is not None else "")).translate(_BRACKETS)


def resource_key(name: object) -> str:
    """A resource name as names are compared: folded, spaces collapsed, case ignored."""
    return " ".join(folded(name).split()).casefold()


def _unnameable(name: str) -> bool:
    """Whether ``name`` holds a character the Resource names column separates or brackets by."""
    return bool(SEPARATORS.search(folded(name))) or any(c in "[]" for c in folded(name))


def parse_assignments(value: Any, where: str) -> list[tuple[str, float]]:
    """``Zhang Wei[50%], Li Na`` → ``[("Zhang Wei", 0.5), ("Li Na", 1.0)]``.

    Names are separated by ``,``, ``;`` or ``、`` (full-width too); units are percent, in
    square brackets (``[50%]``, ``[50]``, ``［５０％］``); none is 100 %.
    """
    out: list[tuple[str, float]] = []
    seen: set[str] = set()
    for part in SEPARATORS.split(folded(value)):
        part = " ".join(part.split())
        if not part:
            continue
        m = _ITEM.fullmatch(part)
        units_text = (m.group("units") or "").removesuffix("%").strip() if m else ""
        if m is None or (m.group("units") is not None and not _UNITS.fullmatch(units_text)):
            raise ImportFileError(
                _("%(where)s: %(value)s is not like Zhang Wei or Zhang Wei[50%%]")
                % {"where": where, "value": quoted(part)}
            )
        name = m.group("name").strip()
        units = float(units_text) / 100 if m.group("units") is not None else 1.0
        if not 0 < units <= MAX_UNITS:
            raise ImportFileError(
                _("%(where)s: %(value)s: units must be above 0%% and at most %(most)s%%")
                % {"where": where, "value": quoted(part), "most": f"{MAX_UNITS * 100:,.0f}"}
            )
        if resource_key(name) in seen:
            raise ImportFileError(
                _("%(where)s: %(value)s is named twice") % {"where": where, "value": quoted(name)}
            )
        seen.add(resource_key(name))
        out.append((name, units))
    return out


@dataclass
class _Row:
    name: str
    work: bool = True  # False: a material or cost resource, which has no calendar
    holidays: str | None = None  # None: the Calendar cell is empty (the plan's, derived)
    none: bool = False  # Calendar "None": no calendar, it changes no task's working time
    week: list[Hours] | None = None
    exceptions: list[ExceptionData] = field(default_factory=list)
    exceptions_at: str = ""  # the first exception's Resource cell, for an error


class _Problems:
    """Every problem of the workbook's resources, each with its place, refused together."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.refused: set[str] = set()  # names refused on sheet Resources, by resource_key

    def add(self, where: str, message: str) -> None:
        self.items.append((where, message))

    def check(self, where: str, step: Callable[..., None], *args: Any) -> bool:
        """Run ``step(*args)``; a problem it raises is noted at ``where``. Whether it went well."""
        try:
            step(*args)
        except ImportFileError as exc:
            self.add(where, exc.message)
            return False
        return True

    def refuse(self) -> None:
        """Raise them all, if any: the message lists the first ones, ``errors`` each by place."""
        if not self.items:
            return
        shown = self.items[:MAX_LISTED]
        message = pgettext("list of problems", "; ").join(m for _w, m in shown)
        if len(self.items) > len(shown):
            message = join_sentences(
                [
                    message,
                    _("(the first %(shown)s of %(total)s errors are listed)")
                    % {"shown": len(shown), "total": len(self.items)},
                ]
            )
        raise ImportFileError(
            message,
            errors=[
                {"field": where, "message": _plain(where, m)}
                for where, m in self.items[:MAX_ERRORS]
            ],
        )


def _plain(where: str, message: str) -> str:
    """``message`` without its leading ``where:`` (the place is the error's field)."""
    if not message.startswith(where):
        return message
    return message[len(where) :].lstrip(":：").strip() or message


def _type_of(entry: _Row, kind: Any, where: str, chinese: bool) -> None:
    if kind not in (None, "") and str(kind).strip():
        known = key_of(kind, RESOURCE_TYPES)
        if known is None:
            raise ImportFileError(
                _("%(where)s: %(value)s is not one of %(values)s")
                % {
                    "where": where,
                    "value": quoted(str(kind).strip()),
                    "values": pgettext("list separator", ", ").join(
                        name_in(t, chinese) for t in RESOURCE_TYPES
                    ),
                }
            )
        entry.work = known == "Work"


def _calendar_of(entry: _Row, calendar: Any, where: str, chinese: bool) -> None:
    if calendar not in (None, "") and str(calendar).strip():
        known = key_of(calendar, RESOURCE_CALENDARS)
        if known is None:
            raise ImportFileError(
                _("%(where)s: %(value)s is not one of %(values)s")
                % {
                    "where": where,
                    "value": quoted(str(calendar).strip()),
                    "values": pgettext("list separator", ", ").join(
                        name_in(c, chinese) for c in RESOURCE_CALENDARS
                    ),
                }
            )
        entry.none = known == NO_CALENDAR
        entry.holidays = None if entry.none else "CN" if known == "China" else ""


def _hours_of(week: list[Hours], value: Any, where: str) -> None:
    week.append(parse_hours(value, where))


def _sheet_rows(ws: Any, sheet: str, chinese: bool, problems: _Problems) -> dict[str, _Row]:
    """The rows of sheet Resources by :func:`resource_key`; a bad cell is noted in ``problems``
    (a row whose name is bad is left out, the others are kept so names are still known)."""
    rows = []
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > MAX_RESOURCE_ROWS + 1:
            raise ImportFileError(
                _("%(sheet)s: more than %(rows)s rows")
                % {"sheet": sheet, "rows": f"{MAX_RESOURCE_ROWS:,}"}
            )
        rows.append(row)
    if not rows:
        return {}
    header = read_header(sheet, rows[0], RESOURCE_COLUMNS, ["Name"], chinese)
    out: dict[str, _Row] = {}
    first_row: dict[str, int] = {}
    for n, get in records(header, rows):
        where = header.where(n, "Name")
        name = " ".join(str(get("Name") or "").split())
        if not name:
            problems.add(where, _("%(where)s: a resource needs a name") % {"where": where})
            continue
        if len(name) > NAME_LENGTH:
            problems.refused.add(resource_key(name))
            problems.add(
                where,
                _("%(where)s: %(problem)s")
                % {
                    "where": where,
                    "problem": _("may have at most %(max_length)s characters")
                    % {"max_length": NAME_LENGTH},
                },
            )
            continue
        if _unnameable(name):
            problems.refused.add(resource_key(name))
            problems.add(
                where,
                _("%(where)s: %(value)s cannot be a resource name: it contains , ; [ or ]")
                % {"where": where, "value": quoted(name)},
            )
            continue
        key = resource_key(name)
        if key in out:
            problems.add(
                where,
                _("%(where)s: %(value)s is already on row %(row)s")
                % {"where": where, "value": quoted(name), "row": first_row[key]},
            )
            continue
        first_row[key] = n
        entry = out[key] = _Row(name=name)
        typed = problems.check(
            header.where(n, "Type"), _type_of, entry, get("Type"), header.where(n, "Type"), chinese
        ) & problems.check(
            header.where(n, "Calendar"),
            _calendar_of,
            entry,
            get("Calendar"),
            header.where(n, "Calendar"),
            chinese,
        )
        timed = True
        if any(get(day) not in (None, "") for day in WEEKDAYS):  # a day not given is not worked
            week: list[Hours] = []
            for day in WEEKDAYS:
                at = header.where(n, day)
                timed &= problems.check(at, _hours_of, week, get(day), at)
            entry.week = week if timed else None
            if timed and not any(week):
                timed = False
                at = header.where(n, "Monday")
                problems.add(at, _("%(where)s: no weekday has working hours") % {"where": at})
        calendar = entry.holidays is not None or entry.none
        if (
            typed
            and timed
            and (not entry.work or entry.none)
            and ((calendar and not entry.none) or entry.week is not None)
        ):
            at = header.where(n, "Calendar" if entry.holidays is not None else "Monday")
            problems.add(
                at,
                (
                    _("%(where)s: a material or cost resource has no calendar")
                    if not entry.work
                    else _("%(where)s: a resource without a calendar has no working hours")
                )
                % {"where": at},
            )
    return out


def read_resources(
    *,
    sheet: tuple[Any, str] | None,
    chinese: bool,
    plan: CalendarData,
    column: list[tuple[TaskData, Any, str]],
    exceptions: list[tuple[str, str, ExceptionData]],
) -> tuple[list[CalendarData], list[ResourceData], list[AssignmentData]]:
    """The resources, their calendars and the assignments of a workbook.

    ``sheet`` is sheet Resources (worksheet, name as in the file), ``plan`` the plan's
    calendar (UID 1), ``column`` each task with its Resource names cell and that cell's name
    for errors, ``exceptions`` the rows of sheet Calendar exceptions naming a resource (the
    name, its cell, the day or days).
    Resources are numbered in the sheet's order, then as new names appear in the column.
    Work is the task's duration times the units (a fixed-units task's work).
    Every problem of these places is refused together (:class:`ImportFileError` listing each).
    """
    problems = _Problems()
    rows = _sheet_rows(sheet[0], sheet[1], chinese, problems) if sheet is not None else {}
    assignments: list[tuple[TaskData, str, float]] = []
    for task, value, where in column:
        try:
            cell = parse_assignments(value, where)
        except ImportFileError as exc:
            problems.add(where, exc.message)
            continue
        for name, units in cell:
            rows.setdefault(resource_key(name), _Row(name=name[:NAME_LENGTH]))
            assignments.append((task, resource_key(name), units))
    for owner, where, day in exceptions:
        row = rows.get(resource_key(owner))
        if row is None:
            if resource_key(owner) not in problems.refused:  # else already said
                problems.add(
                    where,
                    _("%(where)s: %(value)s is not on sheet %(sheet)s nor in column %(column)s")
                    % {
                        "where": where,
                        "value": quoted(owner),
                        "sheet": sheet[1] if sheet is not None else name_in(RESOURCES, chinese),
                        "column": name_in(RESOURCE_NAMES, chinese),
                    },
                )
            continue
        row.exceptions_at = row.exceptions_at or where
        row.exceptions.append(day)
    for row in rows.values():
        if row.exceptions and (not row.work or row.none):
            problems.add(
                row.exceptions_at,
                (
                    _("%(where)s: a material or cost resource has no calendar")
                    if not row.work
                    else _("%(where)s: a resource without a calendar has no days off")
                )
                % {"where": row.exceptions_at},
            )
    problems.refuse()
    calendars: list[CalendarData] = []
    resources: list[ResourceData] = []
    uids: dict[str, int] = {}
    for k, (key, row) in enumerate(rows.items(), start=1):
        uids[key] = k
        if not row.work or row.none:  # does not change dates (MS Project's material and cost
            # resources, and a work resource without a calendar: its tasks keep their calendar)
            resources.append(ResourceData(uid=k, name=row.name))
            continue
        if row.holidays is not None:  # a calendar of its own
            calendar = CalendarData(
                uid=k + 1,
                name=row.name,
                week=row.week or plan.week,
                holidays=row.holidays,
                exceptions=row.exceptions,
            )
        else:  # the plan's, with its changes: a resource always has a calendar (as in MS
            # Project), since the tasks it shares with others are worked when any of them works
            calendar = CalendarData(
                uid=k + 1,
                name=row.name,
                week=row.week,
                base_uid=plan.uid,
                exceptions=row.exceptions,
            )
        calendars.append(calendar)
        resources.append(ResourceData(uid=k, name=row.name, calendar_uid=calendar.uid))
    return (
        calendars,
        resources,
        [
            AssignmentData(
                task_uid=task.uid,
                resource_uid=uids[key],
                units=units,
                work=round(task.duration * units),
            )
            for task, key, units in assignments
        ],
    )

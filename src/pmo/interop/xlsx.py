"""A plan as an XLSX workbook: the template is documented in ``docs/xlsx-plan-template.md``.

Sheet ``Plan``: key / value rows (``Name``, ``Start``, ``Status date``, ``Calendar`` and the
working hours of each weekday, ``Monday`` ... ``Sunday``). Sheet ``Calendar exceptions``
(optional): days off and days worked against the week (``From``, ``To``, ``Working hours``,
``Name``).
Sheet ``Tasks``: one row per task in WBS order, headers in row 1. Durations and
lags are in working days of 8 hours; predecessors are written ``3``, ``3FS``,
``4SS+2d`` or ``5FF-4h`` separated by ``;``. Computed columns (Start, Finish,
Total float, Critical) are written on export and ignored on import; the baseline
columns are read back as baseline 0. Column ``Resource names`` (``Zhang Wei[50%], Li Na``),
sheet ``Resources`` and column ``Resource`` of sheet ``Calendar exceptions`` carry the
resources, their calendars and the assignments (:mod:`pmo.interop.xlsx_resources`).

The layout's names are in :mod:`pmo.interop.xlsx_layout`, writing in
:mod:`pmo.interop.xlsx_write`, reading single cells in :mod:`pmo.interop.xlsx_cells`;
this module reads a workbook (and is where the row limit can be changed).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pmo.core.sentences import quoted
from pmo.core.uploads import UnpackError, check_unpacked_size
from pmo.interop.errors import ImportFileError
from pmo.interop.xlsx_cells import (
    parse_flag,
    parse_hours,
    parse_links,
    parse_number,
    parse_when,
    read_baseline,
    read_exceptions,
    read_header,
    records,
)
from pmo.interop.xlsx_layout import (
    CALENDARS,
    COLUMNS,
    COMPUTED,
    DAY,
    EXCEPTIONS,
    PLAN,
    PLAN_KEYS,
    RESOURCE_NAMES,
    RESOURCES,
    STANDARD_WEEK,
    TASKS,
    WEEKDAYS,
    ZH,
    key_of,
    name_in,
    normal,
)
from pmo.interop.xlsx_resources import read_resources
from pmo.interop.xlsx_write import write_xlsx
from pmo.scheduling.models import Constraint
from pmo.scheduling.planio import CalendarData, PlanData, TaskData

__all__ = ["COLUMNS", "EXCEPTIONS", "read_xlsx", "write_xlsx"]

REQUIRED = ["UID", "Name", "Duration (days)"]

MAX_TASK_ROWS = 50_000
"""Rows read from the Tasks sheet; more is refused before the rest of the file is read."""


def _sheet(wb: Any, key: str) -> str | None:
    """The name, as in the file, of the sheet ``key`` in either language."""
    return next((name for name in wb.sheetnames if key_of(name, [key])), None)


def read_xlsx(content: bytes) -> PlanData:
    """Parse a workbook in the template's layout, in English or Chinese, whatever the reader's.

    Errors are in the reader's language and name the sheet, row and column as the file does.
    """
    try:
        check_unpacked_size(content)
    except UnpackError as exc:
        raise ImportFileError(_("file: %(reason)s") % {"reason": exc}) from None
    try:
        wb = load_workbook(io.BytesIO(content), data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("file: not an XLSX workbook")) from None
    reader_zh = (get_language() or "").startswith("zh")
    tasks_sheet = _sheet(wb, TASKS)
    if tasks_sheet is None:
        raise ImportFileError(
            _("file: the workbook has no sheet named “%(sheet)s” or “%(other)s”")
            % {"sheet": name_in(TASKS, reader_zh), "other": name_in(TASKS, not reader_zh)}
        )
    chinese = normal(tasks_sheet) == normal(ZH[TASKS])  # the file's language, for names it lacks
    plan_sheet = _sheet(wb, PLAN)
    info: dict[str, Any] = {}
    keys: dict[str, str] = {}
    for row in wb[plan_sheet].iter_rows(values_only=True) if plan_sheet else ():
        key = key_of(row[0], PLAN_KEYS) if row else None
        if key is not None and key not in info:
            info[key] = row[1] if len(row) > 1 else None
            keys[key] = str(row[0]).strip()

    def at(key: str) -> str:  # a row of the Plan sheet, as the file names it
        return f"{plan_sheet or name_in(PLAN, chinese)} {keys.get(key) or name_in(key, chinese)}"

    rows = []
    for number, row in enumerate(wb[tasks_sheet].iter_rows(values_only=True), start=1):
        if number > MAX_TASK_ROWS + 1:  # stop reading: no plan is this big
            raise ImportFileError(
                _("%(sheet)s: more than %(rows)s tasks; split the plan")
                % {"sheet": tasks_sheet, "rows": f"{MAX_TASK_ROWS:,}"}
            )
        rows.append(row)
    if not rows:
        raise ImportFileError(_("%(sheet)s: the sheet is empty") % {"sheet": tasks_sheet})
    header = read_header(
        tasks_sheet, rows[0], [*COLUMNS, *COMPUTED, RESOURCE_NAMES], REQUIRED, chinese
    )
    tasks = []
    names: list[tuple[TaskData, Any, str]] = []  # each task's Resource names cell
    for n, get in records(header, rows):
        uid = parse_number(get("UID"), header.where(n, "UID"), default=-1)
        if uid < 0 or uid != int(uid):
            raise ImportFileError(
                _("%(where)s: a whole number >= 0 is required") % {"where": header.where(n, "UID")}
            )
        where = header.where(n, "Duration (days)")
        duration = round(parse_number(get("Duration (days)"), where) * DAY)
        if duration < 0:
            raise ImportFileError(_("%(where)s: must be >= 0") % {"where": where})
        constraint = str(get("Constraint") or "ASAP").strip().upper()
        if constraint not in Constraint.values:
            raise ImportFileError(
                _("%(where)s: %(value)s is not one of %(values)s")
                % {
                    "where": header.where(n, "Constraint"),
                    "value": quoted(constraint),
                    "values": ", ".join(Constraint.values),
                }
            )
        cdate = parse_when(get("Constraint date"), header.where(n, "Constraint date"))
        if constraint not in ("ASAP", "ALAP") and cdate is None:
            raise ImportFileError(
                _("%(where)s: required by constraint %(constraint)s")
                % {"where": header.where(n, "Constraint date"), "constraint": constraint}
            )
        tasks.append(
            TaskData(
                uid=int(uid),
                name=str(get("Name") or "").strip() or f"Task {int(uid)}",
                wbs=str(get("WBS") or ""),
                outline_level=int(
                    parse_number(get("Outline level"), header.where(n, "Outline level"), 1)
                ),
                duration=duration,
                milestone=parse_flag(get("Milestone"), header.where(n, "Milestone")),
                constraint=constraint,
                constraint_date=cdate if constraint not in ("ASAP", "ALAP") else None,
                actual_start=parse_when(get("Actual start"), header.where(n, "Actual start")),
                actual_finish=parse_when(get("Actual finish"), header.where(n, "Actual finish")),
                percent_complete=min(
                    max(parse_number(get("% complete"), header.where(n, "% complete")), 0), 100
                ),
                predecessors=parse_links(get("Predecessors"), header.where(n, "Predecessors")),
                baselines=read_baseline(get, header, n),
            )
        )
        if get(RESOURCE_NAMES) not in (None, ""):
            names.append((tasks[-1], get(RESOURCE_NAMES), header.where(n, RESOURCE_NAMES)))
    for k, t in enumerate(tasks):  # a zero-duration task that is no summary is a milestone
        summary = k + 1 < len(tasks) and tasks[k + 1].outline_level > t.outline_level
        if summary:  # its duration is its tasks' span, written for the reader: not an input
            t.duration = 0
        t.milestone = t.milestone or (t.duration == 0 and not summary)
    start = parse_when(info.get("Start"), at("Start"))
    if start is None:
        firsts = [t.constraint_date for t in tasks if t.constraint_date] + [
            t.actual_start for t in tasks if t.actual_start
        ]
        if not firsts:
            raise ImportFileError(
                _("%(where)s: the plan needs a start date (row “%(row)s” of sheet “%(sheet)s”)")
                % {
                    "where": at("Start"),
                    "row": keys.get("Start") or name_in("Start", chinese),
                    "sheet": plan_sheet or name_in(PLAN, chinese),
                }
            )
        start = min(d for d in firsts if d is not None)
    china = key_of(info.get("Calendar"), CALENDARS) == "China"
    week = STANDARD_WEEK
    if any(day in info for day in WEEKDAYS):  # a day not listed is not worked
        week = [parse_hours(info.get(day), at(day)) for day in WEEKDAYS]
        if not any(week):
            raise ImportFileError(
                _("%(where)s: no weekday has working hours") % {"where": at("Monday")}
            )
    days = _sheet(wb, EXCEPTIONS)
    exceptions, owned = read_exceptions(wb[days], days, chinese) if days else ([], [])
    calendar = CalendarData(
        uid=1,
        name="China" if china else "Standard",
        week=week,
        holidays="CN" if china else "",
        exceptions=exceptions,
    )
    people = _sheet(wb, RESOURCES)
    calendars, resources, assignments = read_resources(
        sheet=(wb[people], people) if people else None,
        chinese=chinese,
        plan=calendar,
        column=names,
        exceptions=owned,
    )
    return PlanData(
        name=str(info.get("Name") or ""),
        start=start,
        status_date=parse_when(info.get("Status date"), at("Status date")),
        calendar_uid=1,
        calendars=[calendar, *calendars],
        tasks=tasks,
        resources=resources,
        assignments=assignments,
    )

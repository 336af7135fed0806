"""A plan as an XLSX workbook: the template is documented in ``docs/xlsx-plan-template.md``.

Sheet ``Plan``: key / value rows (``Name``, ``Start``, ``Status date``, ``Calendar`` and the
working hours of each weekday, ``Monday`` ... ``Sunday``). Sheet ``Calendar exceptions``
(optional): days off and days worked against the week (``From``, ``To``, ``Working hours``,
``Name``).
Sheet ``Tasks``: one row per task in WBS order, headers in row 1. Durations and
lags are in working days of 8 hours; predecessors are written ``3``, ``3FS``,
``4SS+2d`` or ``5FF-4h`` separated by ``;``. Computed columns (Start, Finish,
Total float, Critical) are written on export and ignored on import; the baseline
columns are read back as baseline 0.

The layout's names are in :mod:`pmo.interop.xlsx_layout`, writing in
:mod:`pmo.interop.xlsx_write`, reading single cells in :mod:`pmo.interop.xlsx_cells`;
this module reads a workbook (and is where the row limit can be changed).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pmo.core.uploads import UnpackError, check_unpacked_size
from pmo.interop.errors import ImportFileError
from pmo.interop.xlsx_cells import (
    parse_hours,
    parse_links,
    parse_number,
    parse_when,
    read_baseline,
    read_exceptions,
    records,
    row_label,
)
from pmo.interop.xlsx_layout import COLUMNS, DAY, EXCEPTIONS, STANDARD_WEEK, WEEKDAYS
from pmo.interop.xlsx_write import write_xlsx
from pmo.scheduling.models import Constraint
from pmo.scheduling.planio import CalendarData, PlanData, TaskData

__all__ = ["COLUMNS", "read_xlsx", "write_xlsx"]

MAX_TASK_ROWS = 50_000
"""Rows read from the Tasks sheet; more is refused before the rest of the file is read."""


def read_xlsx(content: bytes) -> PlanData:
    """Parse a workbook in the template's layout; errors name the sheet, row and column."""
    try:
        check_unpacked_size(content)
    except UnpackError as exc:
        raise ImportFileError(_("file: %(reason)s") % {"reason": exc}) from None
    try:
        wb = load_workbook(io.BytesIO(content), data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("file: not an XLSX workbook")) from None
    if "Tasks" not in wb.sheetnames:
        raise ImportFileError(_("file: the workbook has no sheet named 'Tasks'"))
    info: dict[str, Any] = {}
    if "Plan" in wb.sheetnames:
        for row in wb["Plan"].iter_rows(values_only=True):
            if row and row[0]:
                info[str(row[0]).strip().lower()] = row[1] if len(row) > 1 else None
    rows = []
    for number, row in enumerate(wb["Tasks"].iter_rows(values_only=True), start=1):
        if number > MAX_TASK_ROWS + 1:  # stop reading: no plan is this big
            raise ImportFileError(
                _("Tasks: more than %(rows)s tasks; split the plan")
                % {"rows": f"{MAX_TASK_ROWS:,}"}
            )
        rows.append(row)
    if not rows:
        raise ImportFileError(_("Tasks: the sheet is empty"))
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in ("UID", "Name", "Duration (days)") if c not in header]
    if missing:
        raise ImportFileError(
            _("%(where)s: missing column(s) %(columns)s")
            % {"where": row_label("Tasks", 1), "columns": ", ".join(missing)}
        )
    tasks = []
    for n, get in records(header, rows):
        where = row_label("Tasks", n)
        uid = parse_number(get("UID"), f"{where} UID", default=-1)
        if uid < 0 or uid != int(uid):
            raise ImportFileError(
                _("%(where)s: a whole number >= 0 is required") % {"where": f"{where} UID"}
            )
        duration = round(parse_number(get("Duration (days)"), f"{where} Duration (days)") * DAY)
        if duration < 0:
            raise ImportFileError(
                _("%(where)s: must be >= 0") % {"where": f"{where} Duration (days)"}
            )
        constraint = str(get("Constraint") or "ASAP").strip().upper()
        if constraint not in Constraint.values:
            raise ImportFileError(
                _("%(where)s: %(value)s is not one of %(values)s")
                % {
                    "where": f"{where} Constraint",
                    "value": repr(constraint),
                    "values": ", ".join(Constraint.values),
                }
            )
        cdate = parse_when(get("Constraint date"), f"{where} Constraint date")
        if constraint not in ("ASAP", "ALAP") and cdate is None:
            raise ImportFileError(
                _("%(where)s: required by constraint %(constraint)s")
                % {"where": f"{where} Constraint date", "constraint": constraint}
            )
        tasks.append(
            TaskData(
                uid=int(uid),
                name=str(get("Name") or "").strip() or f"Task {int(uid)}",
                wbs=str(get("WBS") or ""),
                outline_level=int(parse_number(get("Outline level"), f"{where} Outline level", 1)),
                duration=duration,
                milestone=str(get("Milestone") or "").strip().lower()
                in ("yes", "y", "1", "true", "x"),
                constraint=constraint,
                constraint_date=cdate if constraint not in ("ASAP", "ALAP") else None,
                actual_start=parse_when(get("Actual start"), f"{where} Actual start"),
                actual_finish=parse_when(get("Actual finish"), f"{where} Actual finish"),
                percent_complete=min(
                    max(parse_number(get("% complete"), f"{where} % complete"), 0), 100
                ),
                predecessors=parse_links(get("Predecessors"), f"{where} Predecessors"),
                baselines=read_baseline(get, where),
            )
        )
    for k, t in enumerate(tasks):  # a zero-duration task that is no summary is a milestone
        summary = k + 1 < len(tasks) and tasks[k + 1].outline_level > t.outline_level
        t.milestone = t.milestone or (t.duration == 0 and not summary)
    start = parse_when(info.get("start"), "Plan Start")
    if start is None:
        firsts = [t.constraint_date for t in tasks if t.constraint_date] + [
            t.actual_start for t in tasks if t.actual_start
        ]
        if not firsts:
            raise ImportFileError(
                _("Plan Start: the plan needs a start date (sheet 'Plan', row 'Start')")
            )
        start = min(d for d in firsts if d is not None)
    china = str(info.get("calendar") or "").strip().lower() in ("china", "cn")
    week = STANDARD_WEEK
    if any(name.lower() in info for name in WEEKDAYS):  # a day not listed is not worked
        week = [parse_hours(info.get(name.lower()), f"Plan {name}") for name in WEEKDAYS]
        if not any(week):
            raise ImportFileError(_("Plan Monday: no weekday has working hours"))
    calendar = CalendarData(
        uid=1,
        name="China" if china else "Standard",
        week=week,
        holidays="CN" if china else "",
        exceptions=read_exceptions(wb) if EXCEPTIONS in wb.sheetnames else [],
    )
    return PlanData(
        name=str(info.get("name") or ""),
        start=start,
        status_date=parse_when(info.get("status date"), "Plan Status date"),
        calendar_uid=1,
        calendars=[calendar],
        tasks=tasks,
    )

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
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from pmo.core.dates import date_out_of_range
from pmo.core.exports import append_row
from pmo.core.uploads import UnpackError, check_unpacked_size
from pmo.interop.errors import ImportFileError
from pmo.scheduling import selectors
from pmo.scheduling.models import Constraint, Plan
from pmo.scheduling.planio import (
    BaselineData,
    CalendarData,
    ExceptionData,
    Hours,
    LinkData,
    PlanData,
    TaskData,
)

__all__ = ["COLUMNS", "read_xlsx", "write_xlsx"]

DAY = 480
COLUMNS = [
    "UID",
    "WBS",
    "Outline level",
    "Name",
    "Duration (days)",
    "Milestone",
    "Predecessors",
    "Constraint",
    "Constraint date",
    "Actual start",
    "Actual finish",
    "% complete",
]
COMPUTED = [
    "Start",
    "Finish",
    "Total float (days)",
    "Critical",
    "Baseline start",
    "Baseline finish",
    "Baseline duration (days)",
]
# Computed on export; the baseline columns are read back on import (baseline 0), so a plan
# exported, edited in Excel and imported again keeps the baseline it was measured against.
READ_BACK = ("Baseline start", "Baseline finish", "Baseline duration (days)")
_PRED = re.compile(r"(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*([dh]))?", re.I)
STANDARD_WEEK = [[(480, 720), (780, 1020)]] * 5 + [[], []]
MAX_TASK_ROWS = 50_000
"""Rows read from the Tasks sheet; more is refused before the rest of the file is read."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EXCEPTIONS = "Calendar exceptions"
EXCEPTION_COLUMNS = ["From", "To", "Working hours", "Name"]
_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})")
OFF_WORDS = ("", "off", "-", "—", "休", "休息")


def _row(sheet: str, number: int) -> str:
    """Where an error is: the sheet's name as in the file, the row in the reader's words."""
    return _("%(sheet)s row %(row)s") % {"sheet": sheet, "row": number}


def _hours_text(hours: Hours) -> str:
    """``[(540, 720), (780, 1080)]`` → ``09:00-12:00, 13:00-18:00``; no hours → ``off``."""
    return (
        ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in hours)
        or "off"
    )


def _hours(value: Any, where: str) -> Hours:
    """Working hours as written by :func:`_hours_text` (``off`` or empty: no work)."""
    text = str(value or "").strip()
    if text.lower() in OFF_WORDS:
        return []
    spans: Hours = []
    for part in re.split(r"[,;，；]", text):
        m = _SPAN.fullmatch(part.strip())
        if m is None:
            raise ImportFileError(
                _("%(where)s: %(value)s is not a time span like 09:00-12:00 (or write off)")
                % {"where": where, "value": repr(part.strip())}
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        first, last = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or last > 24 * 60 or first >= last:
            raise ImportFileError(
                _("%(where)s: %(value)s is not a time span within one day")
                % {"where": where, "value": repr(part.strip())}
            )
        if spans and first < spans[-1][1]:
            raise ImportFileError(
                _("%(where)s: spans must be in order and must not overlap") % {"where": where}
            )
        spans.append((first, last))
    return spans


_D = TypeVar("_D", dt.date, dt.datetime)


def _in_range(value: _D, where: str) -> _D:
    """``value`` if the product accepts the date (:mod:`pmo.core.dates`), else the file's error."""
    problem = date_out_of_range(value)
    if problem:
        raise ImportFileError(f"{where}: {problem}")
    return value


def _day(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), where)
    if isinstance(value, dt.date):
        return _in_range(value, where)
    try:
        return _in_range(dt.date.fromisoformat(str(value or "").strip()), where)
    except ValueError:
        raise ImportFileError(
            _("%(where)s: %(value)s is not a date (YYYY-MM-DD)")
            % {"where": where, "value": repr(value)}
        ) from None


def _plan_calendar(data: PlanData) -> CalendarData:
    """The plan's calendar with its week resolved through its base calendar."""
    by_uid = {c.uid: c for c in data.calendars}
    calendar = by_uid.get(data.calendar_uid) if data.calendar_uid is not None else None
    if calendar is None:
        return CalendarData(uid=1, name="Standard", week=STANDARD_WEEK)
    week, base, seen = calendar.week, calendar, {calendar.uid}
    while week is None and base.base_uid is not None and base.base_uid not in seen:
        seen.add(base.base_uid)
        base = by_uid.get(base.base_uid, base)
        week = base.week
    return CalendarData(
        uid=calendar.uid,
        name=calendar.name,
        week=week or STANDARD_WEEK,
        holidays=calendar.holidays or base.holidays,
        exceptions=calendar.exceptions,
    )


def _days(minutes: int) -> float | int:
    value = minutes / DAY
    return int(value) if value == int(value) else round(value, 3)


def _lag(link: LinkData) -> str:
    if not link.lag:
        return ""
    sign = "+" if link.lag > 0 else "-"
    amount = abs(link.lag)
    return (
        f"{sign}{_days(amount)}d" if amount % 60 or amount % DAY == 0 else f"{sign}{amount // 60}h"
    )


def write_xlsx(plan: Plan) -> bytes:
    """The plan in the template's layout, computed dates included."""
    data = selectors.plan_data(plan)
    rows = {r.task.uid: r for r in selectors.list_task_rows(plan)}
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Plan"
    append_row(info, ["Name", data.name])
    append_row(info, ["Start", data.start])
    append_row(info, ["Status date", data.status_date])
    calendar = _plan_calendar(data)
    append_row(info, ["Calendar", "China" if calendar.holidays == "CN" else "Standard"])
    for name, hours in zip(WEEKDAYS, calendar.week or STANDARD_WEEK, strict=True):
        append_row(info, [name, _hours_text(hours)])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 26
    ws = wb.create_sheet("Tasks")
    append_row(ws, COLUMNS + COMPUTED)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        grey = cell.value in COMPUTED and cell.value not in READ_BACK
        cell.fill = PatternFill("solid", fgColor="DDDDDD" if grey else "FFFFFF")
    for t in data.tasks:
        row = rows[t.uid]
        base = next((b for b in t.baselines if b.number == 0), None)
        preds = "; ".join(
            f"{p.pred_uid}{'' if p.type == 'FS' else p.type}{_lag(p)}" for p in t.predecessors
        )
        append_row(
            ws,
            [
                t.uid,
                t.wbs,
                t.outline_level,
                t.name,
                _days(t.duration),
                "yes" if t.milestone else "",
                preds,
                t.constraint if t.constraint != "ASAP" else "",
                t.constraint_date,
                t.actual_start,
                t.actual_finish,
                t.percent_complete,
                row.start,
                row.finish,
                None if row.task.total_float is None else _days(row.task.total_float),
                "yes" if row.task.critical else "",
                row.baseline_start,
                row.baseline_finish,
                _days(base.duration) if base is not None else None,
            ],
        )
    for col, width in zip(
        "ABCDEFGHIJKLMNOPQRS",
        [6, 8, 8, 40, 10, 8, 18, 10, 17, 17, 17, 8, 17, 17, 10, 8, 17, 17, 10],
        strict=True,
    ):
        ws.column_dimensions[col].width = width
    if calendar.exceptions:
        days = wb.create_sheet(EXCEPTIONS)
        append_row(days, EXCEPTION_COLUMNS)
        for cell in days[1]:
            cell.font = Font(bold=True)
        for e in calendar.exceptions:
            append_row(days, [e.first, e.last, _hours_text(e.hours), e.name])
            for cell in days[days.max_row][:2]:
                cell.number_format = "yyyy-mm-dd"
        for col, width in zip("ABCD", [12, 12, 26, 30], strict=True):
            days.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _when(value: Any, where: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.replace(second=0, microsecond=0), where)
    if isinstance(value, dt.date):
        return _in_range(dt.datetime.combine(value, dt.time(8)), where)
    try:
        return _in_range(dt.datetime.fromisoformat(str(value).strip()), where)
    except ValueError:
        raise ImportFileError(
            _("%(where)s: %(value)s is not a date (YYYY-MM-DD HH:MM)")
            % {"where": where, "value": repr(value)}
        ) from None


def _number(value: Any, where: str, default: float = 0) -> float:
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ImportFileError(
            _("%(where)s: %(value)s is not a number") % {"where": where, "value": repr(value)}
        ) from None
    if not math.isfinite(number):  # "nan", "inf", "1e400"
        raise ImportFileError(
            _("%(where)s: %(value)s is not a finite number")
            % {"where": where, "value": repr(value)}
        )
    return number


def _links(text: Any, where: str) -> list[LinkData]:
    out = []
    for part in str(text or "").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        m = _PRED.fullmatch(part)
        if m is None:
            raise ImportFileError(
                _("%(where)s: predecessor %(value)s is not like 3, 3FS or 4SS+2d")
                % {"where": where, "value": repr(part)}
            )
        uid, kind, sign, amount, unit = m.groups()
        lag = 0
        if amount:
            lag = round(float(amount) * (DAY if unit.lower() == "d" else 60))
            lag = -lag if sign == "-" else lag
        out.append(LinkData(pred_uid=int(uid), type=(kind or "FS").upper(), lag=lag))
    return out


def _records(
    header: list[str], rows: list[tuple[Any, ...]]
) -> Iterator[tuple[int, Callable[[str], Any]]]:
    """Row number and a getter by column name, for each row below the header that has a value."""
    col = {name: k for k, name in enumerate(header)}
    for n, raw in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in raw):
            continue

        def get(name: str, raw: tuple[Any, ...] = raw) -> Any:
            k = col.get(name)
            return raw[k] if k is not None and k < len(raw) else None

        yield n, get


def _baseline(get: Callable[[str], Any], where: str) -> list[BaselineData]:
    """Baseline 0 from the exported baseline columns, when a date is filled in."""
    start = _when(get("Baseline start"), f"{where} Baseline start")
    finish = _when(get("Baseline finish"), f"{where} Baseline finish")
    if start is None and finish is None:
        return []
    days = _number(get("Baseline duration (days)"), f"{where} Baseline duration (days)")
    if days < 0:
        raise ImportFileError(
            _("%(where)s: must be >= 0") % {"where": f"{where} Baseline duration (days)"}
        )
    return [BaselineData(number=0, start=start, finish=finish, duration=round(days * DAY))]


def _exceptions(wb: Any) -> list[ExceptionData]:
    rows = list(wb[EXCEPTIONS].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    if "From" not in header:
        raise ImportFileError(
            _("%(where)s: missing column %(column)s")
            % {"where": _row(EXCEPTIONS, 1), "column": "From"}
        )
    out = []
    for n, get in _records(header, rows):
        where = _row(EXCEPTIONS, n)
        first = _day(get("From"), f"{where} From")
        last = _day(get("To"), f"{where} To") if get("To") not in (None, "") else first
        if last < first:
            raise ImportFileError(
                _("%(where)s: %(last)s is before From %(first)s")
                % {"where": f"{where} To", "last": last, "first": first}
            )
        out.append(
            ExceptionData(
                first=first,
                last=last,
                hours=_hours(get("Working hours"), f"{where} Working hours"),
                name=str(get("Name") or "").strip()[:200],
            )
        )
    return out


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
            % {"where": _row("Tasks", 1), "columns": ", ".join(missing)}
        )
    tasks = []
    for n, get in _records(header, rows):
        where = _row("Tasks", n)
        uid = _number(get("UID"), f"{where} UID", default=-1)
        if uid < 0 or uid != int(uid):
            raise ImportFileError(
                _("%(where)s: a whole number >= 0 is required") % {"where": f"{where} UID"}
            )
        duration = round(_number(get("Duration (days)"), f"{where} Duration (days)") * DAY)
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
        cdate = _when(get("Constraint date"), f"{where} Constraint date")
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
                outline_level=int(_number(get("Outline level"), f"{where} Outline level", 1)),
                duration=duration,
                milestone=str(get("Milestone") or "").strip().lower()
                in ("yes", "y", "1", "true", "x"),
                constraint=constraint,
                constraint_date=cdate if constraint not in ("ASAP", "ALAP") else None,
                actual_start=_when(get("Actual start"), f"{where} Actual start"),
                actual_finish=_when(get("Actual finish"), f"{where} Actual finish"),
                percent_complete=min(
                    max(_number(get("% complete"), f"{where} % complete"), 0), 100
                ),
                predecessors=_links(get("Predecessors"), f"{where} Predecessors"),
                baselines=_baseline(get, where),
            )
        )
    for k, t in enumerate(tasks):  # a zero-duration task that is no summary is a milestone
        summary = k + 1 < len(tasks) and tasks[k + 1].outline_level > t.outline_level
        t.milestone = t.milestone or (t.duration == 0 and not summary)
    start = _when(info.get("start"), "Plan Start")
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
        week = [_hours(info.get(name.lower()), f"Plan {name}") for name in WEEKDAYS]
        if not any(week):
            raise ImportFileError(_("Plan Monday: no weekday has working hours"))
    calendar = CalendarData(
        uid=1,
        name="China" if china else "Standard",
        week=week,
        holidays="CN" if china else "",
        exceptions=_exceptions(wb) if EXCEPTIONS in wb.sheetnames else [],
    )
    return PlanData(
        name=str(info.get("name") or ""),
        start=start,
        status_date=_when(info.get("status date"), "Plan Status date"),
        calendar_uid=1,
        calendars=[calendar],
        tasks=tasks,
    )

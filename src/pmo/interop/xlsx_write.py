"""Write a plan as an XLSX workbook in the template's layout, computed dates included."""

from __future__ import annotations

import io

from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pmo.core.exports import append_row
from pmo.interop.xlsx_layout import (
    COLUMNS,
    COMPUTED,
    DAY,
    EXCEPTION_COLUMNS,
    EXCEPTIONS,
    NO,
    OFF,
    PLAN,
    READ_BACK,
    RESOURCE,
    RESOURCE_COLUMNS,
    RESOURCE_NAMES,
    RESOURCES,
    STANDARD_WEEK,
    TASKS,
    WEEKDAYS,
    YES,
    name_in,
)
from pmo.interop.xlsx_resources_write import written_resources
from pmo.scheduling import selectors
from pmo.scheduling.models import Plan
from pmo.scheduling.planio import CalendarData, ExceptionData, Hours, LinkData, PlanData

__all__ = ["hours_text", "plan_calendar", "write_xlsx"]


def hours_text(hours: Hours, off: str = OFF) -> str:
    """``[(540, 720), (780, 1080)]`` → ``09:00-12:00, 13:00-18:00``; no hours → ``off``."""
    return (
        ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in hours) or off
    )


def plan_calendar(data: PlanData) -> CalendarData:
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


def write_xlsx(plan: Plan, language: str | None = None) -> bytes:
    """The plan in the template's layout, computed dates included.

    Sheet names, headers, weekdays, yes/no and ``off`` are in ``language`` (default: the
    active one, i.e. the reader's): Chinese for ``zh-hans``, English otherwise. The
    importer reads either.
    """
    zh = (language or get_language() or "").startswith("zh")

    def word(key: str) -> str:
        return name_in(key, zh)

    data = selectors.plan_data(plan)
    rows = {r.task.uid: r for r in selectors.list_task_rows(plan)}
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = word(PLAN)
    append_row(info, [word("Name"), data.name])
    append_row(info, [word("Start"), data.start])
    append_row(info, [word("Status date"), data.status_date])
    calendar = plan_calendar(data)
    append_row(info, [word("Calendar"), word("China" if calendar.holidays == "CN" else "Standard")])
    for name, hours in zip(WEEKDAYS, calendar.week or STANDARD_WEEK, strict=True):
        append_row(info, [word(name), hours_text(hours, word(OFF))])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 26
    people = written_resources(data, calendar, word, lambda day: hours_text(day, word(OFF)))
    ws = wb.create_sheet(word(TASKS))
    headers = [*COLUMNS, *COMPUTED, RESOURCE_NAMES]  # the resources after all older columns
    append_row(ws, [word(key) for key in headers])
    for key, cell in zip(headers, ws[1], strict=True):
        cell.font = Font(bold=True)
        grey = key in COMPUTED and key not in READ_BACK
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
                # a summary's duration is its span on the plan calendar (as MS Project shows
                # it and the plan page does), not the 0 it stores; the import ignores it
                _days(row.span if row.task.summary and row.span is not None else t.duration),
                word(YES if t.milestone else NO),
                preds,
                t.constraint if t.constraint != "ASAP" else "",
                t.constraint_date,
                t.actual_start,
                t.actual_finish,
                t.percent_complete,
                row.start,
                row.finish,
                None if row.task.total_float is None else _days(row.task.total_float),
                word(YES if row.task.critical else NO),
                row.baseline_start,
                row.baseline_finish,
                _days(base.duration) if base is not None else None,
                people.cells.get(t.uid, ""),
            ],
        )
    for col, width in zip(
        "ABCDEFGHIJKLMNOPQRST",
        [6, 8, 8, 40, 10, 8, 18, 10, 17, 17, 17, 8, 17, 17, 10, 8, 17, 17, 10, 30],
        strict=True,
    ):
        ws.column_dimensions[col].width = width
    if people.rows is not None:
        sheet = wb.create_sheet(word(RESOURCES))
        append_row(sheet, [word(key) for key in RESOURCE_COLUMNS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in people.rows:
            append_row(sheet, values)
        for col, width in zip("ABCDEFGHIJ", [30, 10, 10, *[24] * 7], strict=True):
            sheet.column_dimensions[col].width = width
    owned: list[tuple[str, ExceptionData]] = [("", e) for e in calendar.exceptions]
    owned += people.exceptions
    if owned:
        days = wb.create_sheet(word(EXCEPTIONS))
        # column Resource only when a resource has days of its own: older layouts unchanged
        extra = [RESOURCE] if people.exceptions else []
        append_row(days, [word(key) for key in [*EXCEPTION_COLUMNS, *extra]])
        for cell in days[1]:
            cell.font = Font(bold=True)
        for owner, e in owned:
            by = [owner] if extra else []
            append_row(days, [e.first, e.last, hours_text(e.hours, word(OFF)), e.name, *by])
            for cell in days[days.max_row][:2]:
                cell.number_format = "yyyy-mm-dd"
        for col, width in zip("ABCDE", [12, 12, 26, 30, 30], strict=True):
            days.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

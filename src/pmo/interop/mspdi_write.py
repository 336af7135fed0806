"""Write a plan as Microsoft Project XML (MSPDI), the elements the reader understands."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from pmo.interop.mspdi_china import china_days
from pmo.interop.mspdi_read import CONSTRAINTS, LINK_TYPES, NS_URI
from pmo.scheduling.planio import CalendarData, ExceptionData, Hours, PlanData

__all__ = ["write_mspdi"]

_LINK_CODES = {v: k for k, v in LINK_TYPES.items()}
_CONSTRAINT_CODES = {v: k for k, v in CONSTRAINTS.items()}


def _dt(value: dt.datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S")


def _duration(minutes: int) -> str:
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def _sub(parent: ET.Element, tag: str, value: object | None) -> ET.Element | None:
    if value is None:
        return None
    el = ET.SubElement(parent, tag)
    el.text = str(value)
    return el


def _times(parent: ET.Element, hours: Hours) -> None:
    _sub(parent, "DayWorking", 1 if hours else 0)
    _working_times(parent, hours)


def _working_times(parent: ET.Element, hours: Hours) -> None:
    if hours:
        times = ET.SubElement(parent, "WorkingTimes")
        for a, b in hours:
            wt = ET.SubElement(times, "WorkingTime")
            _sub(wt, "FromTime", f"{a // 60:02d}:{a % 60:02d}:00")
            _sub(wt, "ToTime", f"{(b // 60) % 24:02d}:{b % 60:02d}:00")


def _week_days(parent: ET.Element, week: list[Hours]) -> ET.Element:
    days = ET.SubElement(parent, "WeekDays")
    for k in range(7):  # Monday..Sunday -> DayType 2..7, 1
        wd = ET.SubElement(days, "WeekDay")
        _sub(wd, "DayType", (k + 1) % 7 + 1)
        _times(wd, week[k])
    return days


def _exceptions(
    c: CalendarData, by_uid: dict[int, CalendarData], start: dt.datetime
) -> list[ExceptionData]:
    """The calendar's exceptions, with the China rule's days written out when it has one.

    Microsoft Project knows no holiday source: a ``holidays="CN"`` calendar gets the
    library's holidays (off) and 调休 weekend days (working) over the plan's horizon, days in
    a row with the same hours as one range; a hand-entered exception wins over the rule's
    day, as in the engine. The reader turns them back into the rule
    (``mspdi_china.recognise_china``).
    """
    own = list(c.exceptions)
    if c.holidays != "CN":
        return own
    one = dt.timedelta(days=1)
    ranges: list[tuple[ExceptionData, list[str]]] = []
    for day, (hours, name, _changed) in china_days(c, by_uid, start).items():
        if any(e.first <= day <= e.last for e in own):
            continue
        if ranges and ranges[-1][0].last + one == day and ranges[-1][0].hours == hours:
            ranges[-1][0].last = day
            if name not in ranges[-1][1]:
                ranges[-1][1].append(name)
        else:
            ranges.append((ExceptionData(first=day, last=day, hours=hours), [name]))
    for e, names in ranges:
        e.name = ", ".join(names)
    return sorted(own + [e for e, _names in ranges], key=lambda e: e.first)


def write_mspdi(data: PlanData) -> bytes:
    """Serialise ``data`` as an MSPDI document (UTF-8)."""
    ET.register_namespace("", NS_URI)
    root = ET.Element("Project", xmlns=NS_URI)
    _sub(root, "SaveVersion", 14)
    _sub(root, "Name", data.name)
    _sub(root, "Title", data.name)
    _sub(root, "ScheduleFromStart", 1)
    _sub(root, "StartDate", _dt(data.start))
    finishes = [t.finish for t in data.tasks if t.finish is not None]
    _sub(root, "FinishDate", _dt(max(finishes)) if finishes else _dt(data.start))
    _sub(root, "CalendarUID", data.calendar_uid)
    _sub(root, "MinutesPerDay", data.minutes_per_day)
    _sub(root, "HonorConstraints", 1)
    _sub(root, "StatusDate", _dt(data.status_date))
    cals = ET.SubElement(root, "Calendars")
    by_uid = {c.uid: c for c in data.calendars}
    for c in data.calendars:
        exceptions = _exceptions(c, by_uid, data.start)
        el = ET.SubElement(cals, "Calendar")
        _sub(el, "UID", c.uid)
        _sub(el, "Name", c.name)
        _sub(el, "IsBaseCalendar", 1 if c.base_uid is None else 0)
        _sub(el, "BaseCalendarUID", -1 if c.base_uid is None else c.base_uid)
        if c.week is not None or exceptions:
            days = _week_days(el, c.week) if c.week is not None else ET.SubElement(el, "WeekDays")
            for e in exceptions:  # the pre-2007 layout, read by every version
                wd = ET.SubElement(days, "WeekDay")
                _sub(wd, "DayType", 0)
                _sub(wd, "DayWorking", 1 if e.hours else 0)
                period = ET.SubElement(wd, "TimePeriod")
                _sub(period, "FromDate", f"{e.first.isoformat()}T00:00:00")
                _sub(period, "ToDate", f"{e.last.isoformat()}T23:59:00")
                _working_times(wd, e.hours)
        if exceptions:  # and the 2007+ layout
            container = ET.SubElement(el, "Exceptions")
            for e in exceptions:
                ex = ET.SubElement(container, "Exception")
                _sub(ex, "EnteredByOccurrences", 0)
                period = ET.SubElement(ex, "TimePeriod")
                _sub(period, "FromDate", f"{e.first.isoformat()}T00:00:00")
                _sub(period, "ToDate", f"{e.last.isoformat()}T23:59:00")
                _sub(ex, "Occurrences", (e.last - e.first).days + 1)
                _sub(ex, "Name", e.name or None)
                _sub(ex, "Type", 1)
                _times(ex, e.hours)
        if c.work_weeks:
            weeks = ET.SubElement(el, "WorkWeeks")
            for w in c.work_weeks:
                ww = ET.SubElement(weeks, "WorkWeek")
                period = ET.SubElement(ww, "TimePeriod")
                _sub(period, "FromDate", f"{w.first.isoformat()}T00:00:00")
                _sub(period, "ToDate", f"{w.last.isoformat()}T23:59:00")
                _sub(ww, "Name", w.name)
                _week_days(ww, w.week)
    tasks = ET.SubElement(root, "Tasks")
    for k, t in enumerate(data.tasks, start=1):
        el = ET.SubElement(tasks, "Task")
        _sub(el, "UID", t.uid)
        _sub(el, "ID", k)
        _sub(el, "Name", t.name)
        _sub(el, "Manual", 0)
        _sub(el, "WBS", t.wbs or None)
        _sub(el, "OutlineLevel", t.outline_level)
        _sub(el, "Start", _dt(t.start))
        _sub(el, "Finish", _dt(t.finish))
        _sub(el, "Duration", _duration(t.duration))
        _sub(el, "DurationFormat", 7 if t.duration_format is None else t.duration_format)
        _sub(el, "Milestone", int(t.milestone))
        _sub(el, "Summary", int(t.summary))
        _sub(el, "Critical", int(t.critical))
        _sub(el, "EarlyStart", _dt(t.early_start))
        _sub(el, "EarlyFinish", _dt(t.early_finish))
        _sub(el, "LateStart", _dt(t.late_start))
        _sub(el, "LateFinish", _dt(t.late_finish))
        if t.free_float is not None:
            _sub(el, "FreeSlack", t.free_float * 10)  # tenths of minutes
        if t.total_float is not None:
            _sub(el, "TotalSlack", t.total_float * 10)
        _sub(el, "PercentComplete", round(t.percent_complete))
        _sub(el, "ActualStart", _dt(t.actual_start))
        _sub(el, "ActualFinish", _dt(t.actual_finish))
        if t.remaining is not None:
            _sub(el, "RemainingDuration", _duration(t.remaining))
        _sub(el, "ConstraintType", _CONSTRAINT_CODES[t.constraint])
        _sub(el, "CalendarUID", -1 if t.calendar_uid is None else t.calendar_uid)
        _sub(el, "ConstraintDate", _dt(t.constraint_date))
        if t.ignore_resource_calendar:
            _sub(el, "IgnoreResourceCalendar", 1)
        for p in t.predecessors:
            pl = ET.SubElement(el, "PredecessorLink")
            _sub(pl, "PredecessorUID", p.pred_uid)
            _sub(pl, "Type", _LINK_CODES[p.type])
            _sub(pl, "CrossProject", 0)
            # a percentage lag is written in whole percent (as Microsoft Project and MPXJ do)
            _sub(pl, "LinkLag", p.lag * 10 if p.lag_percent is None else p.lag_percent)
            _sub(pl, "LagFormat", p.lag_format)
        for b in t.baselines:
            bl = ET.SubElement(el, "Baseline")
            _sub(bl, "Number", b.number)
            _sub(bl, "Start", _dt(b.start))
            _sub(bl, "Finish", _dt(b.finish))
            _sub(bl, "Duration", _duration(b.duration))
    resources = ET.SubElement(root, "Resources")
    for r in data.resources:
        el = ET.SubElement(resources, "Resource")
        _sub(el, "UID", r.uid)
        _sub(el, "Name", r.name)
        _sub(el, "Type", 1)
        _sub(el, "CalendarUID", r.calendar_uid)
    assignments = ET.SubElement(root, "Assignments")
    for k, a in enumerate(data.assignments, start=1):
        el = ET.SubElement(assignments, "Assignment")
        _sub(el, "UID", k)
        _sub(el, "TaskUID", a.task_uid)
        _sub(el, "ResourceUID", a.resource_uid)
        _sub(el, "Units", a.units)
        _sub(el, "Work", _duration(a.work))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

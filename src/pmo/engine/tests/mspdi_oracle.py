"""Test-only reader of the parts of Microsoft Project XML the CPM engine needs.

Not the product's importer (that lives in ``pmo.interop``): just enough of
MSPDI to check the engine's dates against the dates Microsoft Project wrote.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pmo.engine.calendars import Calendar, CalendarAxis, CalendarException, Hours
from pmo.engine.cpm import ConstraintType, Link, LinkType, Project, Task

__all__ = ["MsTask", "Oracle", "load"]

NS = {"p": "http://schemas.microsoft.com/project"}
# MSPDI codes -> engine values
LINK_TYPES = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
CONSTRAINTS = {
    0: ConstraintType.ASAP,
    1: ConstraintType.ALAP,
    2: ConstraintType.MSO,
    3: ConstraintType.MFO,
    4: ConstraintType.SNET,
    5: ConstraintType.SNLT,
    6: ConstraintType.FNET,
    7: ConstraintType.FNLT,
}
ELAPSED_FORMATS = {4, 6, 8, 10, 12}  # em, eh, ed, ew, emo


@dataclass(frozen=True, slots=True, kw_only=True)
class MsTask:
    """What Microsoft Project computed for one task."""

    uid: int
    name: str
    start: datetime
    finish: datetime
    total_slack: int | None  # minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class Oracle:
    """A project ready for the engine plus Microsoft Project's results."""

    project: Project
    axis: CalendarAxis
    expected: tuple[MsTask, ...]


def _text(el: ET.Element, tag: str) -> str | None:
    found = el.find(f"p:{tag}", NS)
    return None if found is None else found.text


def _minutes(duration: str) -> int:
    m = re.fullmatch(r"PT(\d+)H(\d+)M(\d+)S", duration)
    if m is None:
        raise ValueError(f"unsupported duration {duration!r}")
    return int(m[1]) * 60 + int(m[2])


def _hours(day: ET.Element) -> Hours:
    out: list[tuple[int, int]] = []
    for wt in day.findall("p:WorkingTimes/p:WorkingTime", NS):
        a, b = _text(wt, "FromTime"), _text(wt, "ToTime")
        if a and b:
            ha, ma, _ = (int(x) for x in a.split(":"))
            hb, mb, _ = (int(x) for x in b.split(":"))
            end = hb * 60 + mb
            out.append((ha * 60 + ma, 1440 if end == 0 else end))
    return tuple(out)


def _calendar(root: ET.Element, uid: str) -> Calendar:
    for cal in root.findall("p:Calendars/p:Calendar", NS):
        if _text(cal, "UID") != uid:
            continue
        week: list[Hours] = [()] * 7
        exceptions: list[CalendarException] = []
        for wd in cal.findall("p:WeekDays/p:WeekDay", NS):
            kind = int(_text(wd, "DayType") or 0)
            hours = _hours(wd) if _text(wd, "DayWorking") == "1" else ()
            if kind == 0:  # an exception in the pre-2007 layout
                a = _text(wd, "TimePeriod/p:FromDate") or ""
                b = _text(wd, "TimePeriod/p:ToDate") or a
                exceptions.append(
                    CalendarException(
                        first=date.fromisoformat(a[:10]),
                        last=date.fromisoformat(b[:10]),
                        hours=hours,
                    )
                )
            else:  # 1 = Sunday .. 7 = Saturday
                week[(kind + 5) % 7] = hours
        return Calendar(
            name=_text(cal, "Name") or uid, week=tuple(week), exceptions=tuple(exceptions)
        )
    raise ValueError(f"no calendar {uid}")


def load(path: Path) -> Oracle:
    """Read tasks, links, constraints and the project calendar of an MSPDI file."""
    root = ET.parse(path).getroot()
    start = datetime.fromisoformat(_text(root, "StartDate") or "")
    axis = CalendarAxis(calendar=_calendar(root, _text(root, "CalendarUID") or "1"), origin=start)
    elements = root.findall("p:Tasks/p:Task", NS)
    index = {int(_text(t, "UID") or -1): k for k, t in enumerate(elements)}
    outline: list[int] = []  # index of the last task seen at each outline level
    tasks: list[Task] = []
    links: list[Link] = []
    expected: list[MsTask] = []
    for k, el in enumerate(elements):
        level = int(_text(el, "OutlineLevel") or 0)
        del outline[level:]
        parent = outline[-1] if outline else None
        outline.append(k)
        kind = CONSTRAINTS[int(_text(el, "ConstraintType") or 0)]
        when = _text(el, "ConstraintDate")
        ctime = None
        if when and kind not in (ConstraintType.ASAP, ConstraintType.ALAP):
            ctime = axis.offset(datetime.fromisoformat(when))
        else:
            kind = ConstraintType.ALAP if kind is ConstraintType.ALAP else ConstraintType.ASAP
        tasks.append(
            Task(
                name=_text(el, "Name") or "",
                duration=_minutes(_text(el, "Duration") or "PT0H0M0S"),
                parent=parent,
                constraint=kind,
                constraint_time=ctime,
            )
        )
        for pl in el.findall("p:PredecessorLink", NS):
            links.append(
                Link(
                    pred=index[int(_text(pl, "PredecessorUID") or -1)],
                    succ=k,
                    type=LINK_TYPES[int(_text(pl, "Type") or 1)],
                    lag=int(_text(pl, "LinkLag") or 0) // 10,  # tenths of minutes
                    elapsed=int(_text(pl, "LagFormat") or 7) in ELAPSED_FORMATS,
                )
            )
        slack = _text(el, "TotalSlack")
        expected.append(
            MsTask(
                uid=int(_text(el, "UID") or -1),
                name=_text(el, "Name") or "",
                start=datetime.fromisoformat(_text(el, "Start") or ""),
                finish=datetime.fromisoformat(_text(el, "Finish") or ""),
                total_slack=None if slack is None else int(slack) // 10,
            )
        )
    return Oracle(
        project=Project(tasks=tuple(tasks), links=tuple(links)), axis=axis, expected=tuple(expected)
    )

"""Layout of the Gantt chart: positions of bars, baseline bars, links and the today line.

Pure arithmetic on the task rows; the template ``scheduling/partials/_gantt.html``
draws the SVG (no JavaScript, no build step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pmo.scheduling.models import Link
from pmo.scheduling.selectors import TaskRow

__all__ = ["ZOOMS", "Gantt", "MilestoneChart", "layout", "milestone_layout"]

ZOOMS = {"day": 28.0, "week": 8.0, "month": 2.0}  # pixels per calendar day
ROW = 22
HEADER = 34
LABEL = 330


@dataclass
class Bar:
    row: TaskRow
    y: float
    x: float
    width: float
    base_x: float | None
    base_width: float | None
    label: str
    indent: int

    @property
    def progress_width(self) -> float:
        """Width of the done part of the bar (% complete)."""
        return self.width * min(max(self.row.task.percent_complete, 0.0), 100.0) / 100


@dataclass
class Tick:
    x: float
    label: str
    major: bool


@dataclass
class Gantt:
    width: float
    height: float
    label_width: int
    bars: list[Bar]
    ticks: list[Tick]
    links: list[str] = field(default_factory=list)  # SVG path data
    critical_links: list[str] = field(default_factory=list)
    today_x: float | None = None
    zoom: str = "week"


def _days(value: dt.datetime, origin: dt.datetime) -> float:
    return (value - origin).total_seconds() / 86400


def _ticks(
    first: dt.date, last: dt.date, zoom: str, scale: float, origin: dt.datetime
) -> list[Tick]:
    ticks = []
    day = first
    while day <= last:
        x = LABEL + _days(dt.datetime.combine(day, dt.time()), origin) * scale
        if zoom == "day":
            ticks.append(
                Tick(
                    x,
                    f"{day:%m-%d}" if day.day == 1 or day == first else f"{day.day}",
                    day.weekday() == 0,
                )
            )
        elif zoom == "week" and day.weekday() == 0:
            ticks.append(Tick(x, f"{day:%m-%d}", day.day <= 7))
        elif zoom == "month" and day.day == 1:
            ticks.append(Tick(x, f"{day:%Y-%m}", day.month == 1))
        day += dt.timedelta(days=1)
    return ticks


def layout(
    rows: list[TaskRow], links: list[Link], *, zoom: str = "week", today: dt.date | None = None
) -> Gantt:
    """Positions (pixels) of everything on the chart of ``rows`` at ``zoom``."""
    zoom = zoom if zoom in ZOOMS else "week"
    scale = ZOOMS[zoom]
    dates = [d for r in rows for d in (r.start, r.finish, r.baseline_start, r.baseline_finish) if d]
    if not dates:
        return Gantt(LABEL + 200, HEADER, LABEL, [], [], zoom=zoom)
    pad = {"day": 2, "week": 7, "month": 31}[zoom]
    first = min(dates).date() - dt.timedelta(days=pad)
    last = max(dates).date() + dt.timedelta(days=pad)
    origin = dt.datetime.combine(first, dt.time())
    bars = []
    for k, r in enumerate(rows):
        y = HEADER + k * ROW
        x = w = 0.0
        if r.start and r.finish:
            x = LABEL + _days(r.start, origin) * scale
            w = max(_days(r.finish, origin) * scale + LABEL - x, 0.0)
        bx = bw = None
        if r.baseline_start and r.baseline_finish:
            bx = LABEL + _days(r.baseline_start, origin) * scale
            bw = max(LABEL + _days(r.baseline_finish, origin) * scale - bx, 0.0)
        name = r.task.name if len(r.task.name) <= 38 else r.task.name[:37] + "…"
        bars.append(Bar(r, y, x, w, bx, bw, name, max(r.task.outline_level - 1, 0) * 10))
    by_id = {b.row.task.pk: b for b in bars}
    paths: list[str] = []
    critical: list[str] = []
    for link in links:
        a, b = by_id.get(link.pred_id), by_id.get(link.succ_id)
        if a is None or b is None:
            continue
        x1 = a.x if link.type in ("SS", "SF") else a.x + a.width
        x2 = b.x if link.type in ("FS", "SS") else b.x + b.width
        y1, y2 = a.y + ROW / 2, b.y + ROW / 2
        toward = 1 if link.type in ("FS", "SS") else -1
        path = (
            f"M{x1:.1f},{y1:.1f} h{4 if link.type in ('FS', 'FF') else -4} "
            f"V{y2 - (ROW / 2 - 3) * (1 if y2 > y1 else -1):.1f} "
            f"H{x2 - 5 * toward:.1f} V{y2:.1f} H{x2:.1f}"
        )
        (critical if a.row.task.critical and b.row.task.critical else paths).append(path)
    today_x = None
    if today is not None and first <= today <= last:
        today_x = LABEL + _days(dt.datetime.combine(today, dt.time()), origin) * scale
    width = LABEL + _days(dt.datetime.combine(last, dt.time()), origin) * scale + 10
    return Gantt(
        width=width,
        height=HEADER + len(rows) * ROW + 6,
        label_width=LABEL,
        bars=bars,
        ticks=_ticks(first, last, zoom, scale, origin),
        links=paths,
        critical_links=critical,
        today_x=today_x,
        zoom=zoom,
    )


@dataclass
class MilestoneMark:
    x: float
    base_x: float | None
    label: str
    late: bool
    done: bool


@dataclass
class ProjectLine:
    code: str
    name: str
    y: float
    marks: list[MilestoneMark]


@dataclass
class MilestoneChart:
    width: float
    height: float
    lines: list[ProjectLine]
    ticks: list[Tick]
    today_x: float | None


def milestone_layout(
    projects: list[
        tuple[str, str, list[tuple[str, dt.date | None, dt.date | None, dt.date | None]]]
    ],
    *,
    today: dt.date,
) -> MilestoneChart:
    """One line per project: (code, name, [(milestone, baseline, forecast, actual)])."""
    scale = 3.0
    dates = [d for _c, _n, ms in projects for m in ms for d in m[1:] if d]
    if not dates:
        return MilestoneChart(LABEL + 200, HEADER, [], [], None)
    first = min(*dates, today).replace(day=1)
    last = max(*dates, today) + dt.timedelta(days=31)
    origin = dt.datetime.combine(first, dt.time())

    def x_of(day: dt.date) -> float:
        return LABEL + _days(dt.datetime.combine(day, dt.time()), origin) * scale

    lines = []
    for k, (code, name, ms) in enumerate(projects):
        marks = []
        for label, base, forecast, actual in ms:
            current = actual or forecast or base
            if current is None:
                continue
            marks.append(
                MilestoneMark(
                    x=x_of(current),
                    base_x=x_of(base) if base and base != current else None,
                    label=label,
                    late=bool(base and current > base),
                    done=actual is not None,
                )
            )
        lines.append(ProjectLine(code, name[:40], HEADER + k * ROW, marks))
    return MilestoneChart(
        width=x_of(last) + 10,
        height=HEADER + len(lines) * ROW + 6,
        lines=lines,
        ticks=_ticks(first, last, "month", scale, origin),
        today_x=x_of(today),
    )

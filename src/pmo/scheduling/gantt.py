"""Layout of the Gantt chart: positions of bars, baseline bars, links and the today line.

Pure arithmetic on the task rows; the template ``scheduling/partials/_gantt.html`` draws
two SVGs side by side: the task names (a fixed column) and the time line (``x`` here, from
0 at ``origin``), which scrolls sideways in its own box. ``static/pmo/gantt.js`` opens
that box at today and keeps the date in view when htmx swaps the chart (zoom, edits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pmo.scheduling.models import Link
from pmo.scheduling.selectors import TaskRow

__all__ = ["ZOOMS", "Gantt", "MilestoneChart", "Tick", "axis", "layout", "milestone_layout"]

ZOOMS = {"day": 28.0, "week": 8.0, "month": 2.0}  # pixels per calendar day
MILESTONE_SCALE = 3.0  # pixels per calendar day on the portfolio milestone chart
ROW = 22
HEADER = 40  # two axis tiers: periods with their year above, finer ticks below
LABEL = 330  # width of the task-name column
GAP = 70  # pixels a period's label needs before the next one starts
FOOTER_ROWS = 20  # a chart with more rows repeats the axis labels below its last row
FOOTER = 28


def _footer(rows: int) -> float | None:
    """Baseline of the axis labels repeated under a tall chart's last row, else ``None``."""
    return HEADER + rows * ROW + 14 if rows > FOOTER_ROWS else None


def _height(rows: int) -> float:
    return HEADER + rows * ROW + 6 + (FOOTER if rows > FOOTER_ROWS else 0)


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
    """Width of the time line (the task names are a separate column of ``label_width``)."""
    height: float
    label_width: int
    bars: list[Bar]
    ticks: list[Tick]
    links: list[str] = field(default_factory=list)  # SVG path data
    critical_links: list[str] = field(default_factory=list)
    today_x: float | None = None
    zoom: str = "week"
    periods: list[Tick] = field(default_factory=list)
    """The upper axis tier: weeks, months or years, each label with its year."""
    origin: dt.date | None = None
    """The date at ``x == 0``."""
    scale: float = ZOOMS["week"]
    today: dt.date | None = None
    footer: float | None = None
    """Where the axis labels are repeated under the last row (tall charts), else ``None``."""


def _days(value: dt.datetime, origin: dt.datetime) -> float:
    return (value - origin).total_seconds() / 86400


def axis(first: dt.date, last: dt.date, zoom: str, scale: float) -> tuple[list[Tick], list[Tick]]:
    """The two tiers of the time axis from ``first`` (x = 0) to ``last``: (periods, ticks).

    Every period label carries its year, so a reader scrolled anywhere sees one: weeks
    ``2026-02-09`` over day numbers (day zoom), months ``2026-02`` over the Mondays' day
    numbers (week zoom), years ``2026`` over months ``2026-02`` (month zoom). A period that
    starts before ``first`` is labelled at 0 when its label fits before the next one.

    >>> periods, ticks = axis(dt.date(2026, 12, 21), dt.date(2027, 1, 12), "week", 8.0)
    >>> [(p.x, p.label) for p in periods]
    [(0.0, '2026-12'), (88.0, '2027-01')]
    >>> [(t.x, t.label) for t in ticks]
    [(0.0, '21'), (56.0, '28'), (112.0, '4'), (168.0, '11')]
    """
    periods: list[Tick] = []
    ticks: list[Tick] = []
    day = first
    while day <= last:
        x = (day - first).days * scale
        if zoom == "day":
            ticks.append(Tick(x, f"{day.day}", day.weekday() == 0))
            monday = day - dt.timedelta(days=day.weekday())
            period = Tick(x, f"{monday:%Y-%m-%d}", day.day <= 7)
        elif zoom == "week":
            if day.weekday() == 0:
                ticks.append(Tick(x, f"{day.day}", False))
            period = Tick(x, f"{day:%Y-%m}", day.month == 1)
        else:
            if day.day == 1:
                ticks.append(Tick(x, f"{day:%Y-%m}", False))
            period = Tick(x, f"{day:%Y}", True)
        if _starts(day, zoom):
            periods.append(period)
        elif day == first:  # the period under way at the left edge, if its label fits
            periods.append(Tick(0.0, period.label, False))
        day += dt.timedelta(days=1)
    if len(periods) > 1 and not _starts(first, zoom) and periods[1].x < GAP:
        periods.pop(0)
    return periods, ticks


def _starts(day: dt.date, zoom: str) -> bool:
    """Whether a period of the axis's upper tier starts on ``day``."""
    if zoom == "day":
        return day.weekday() == 0
    if zoom == "week":
        return day.day == 1
    return day.day == 1 and day.month == 1


def layout(
    rows: list[TaskRow], links: list[Link], *, zoom: str = "week", today: dt.date | None = None
) -> Gantt:
    """Positions (pixels) of everything on the chart of ``rows`` at ``zoom``."""
    zoom = zoom if zoom in ZOOMS else "week"
    scale = ZOOMS[zoom]
    dates = [d for r in rows for d in (r.start, r.finish, r.baseline_start, r.baseline_finish) if d]
    if not dates:
        return Gantt(200, HEADER, LABEL, [], [], zoom=zoom, scale=scale)
    pad = {"day": 2, "week": 7, "month": 31}[zoom]
    first = min(dates).date() - dt.timedelta(days=pad)
    last = max(dates).date() + dt.timedelta(days=pad)
    origin = dt.datetime.combine(first, dt.time())
    bars = []
    for k, r in enumerate(rows):
        y = HEADER + k * ROW
        x = w = 0.0
        if r.start and r.finish:
            x = _days(r.start, origin) * scale
            w = max(_days(r.finish, origin) * scale - x, 0.0)
        bx = bw = None
        if r.baseline_start and r.baseline_finish:
            bx = _days(r.baseline_start, origin) * scale
            bw = max(_days(r.baseline_finish, origin) * scale - bx, 0.0)
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
        today_x = (today - first).days * scale
    periods, ticks = axis(first, last, zoom, scale)
    return Gantt(
        width=(last - first).days * scale + 10,
        height=_height(len(rows)),
        label_width=LABEL,
        bars=bars,
        ticks=ticks,
        links=paths,
        critical_links=critical,
        today_x=today_x,
        zoom=zoom,
        periods=periods,
        origin=first,
        scale=scale,
        today=today if today_x is not None else None,
        footer=_footer(len(rows)),
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
    """Width of the time line (the project names are a separate column of ``label_width``)."""
    height: float
    lines: list[ProjectLine]
    ticks: list[Tick]
    today_x: float | None
    periods: list[Tick] = field(default_factory=list)
    origin: dt.date | None = None
    scale: float = MILESTONE_SCALE
    today: dt.date | None = None
    label_width: int = LABEL
    footer: float | None = None


def milestone_layout(
    projects: list[
        tuple[str, str, list[tuple[str, dt.date | None, dt.date | None, dt.date | None]]]
    ],
    *,
    today: dt.date,
) -> MilestoneChart:
    """One line per project: (code, name, [(milestone, baseline, forecast, actual)])."""
    scale = MILESTONE_SCALE
    dates = [d for _c, _n, ms in projects for m in ms for d in m[1:] if d]
    if not dates:
        return MilestoneChart(200, HEADER, [], [], None)
    first = min(*dates, today).replace(day=1)
    last = max(*dates, today) + dt.timedelta(days=31)

    def x_of(day: dt.date) -> float:
        return (day - first).days * scale

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
    periods, ticks = axis(first, last, "month", scale)
    return MilestoneChart(
        width=x_of(last) + 10,
        height=_height(len(lines)),
        lines=lines,
        ticks=ticks,
        today_x=x_of(today),
        periods=periods,
        origin=first,
        scale=scale,
        today=today,
        footer=_footer(len(lines)),
    )

"""One dated story per demo project: its phases, gates, milestones and progress agree.

A :class:`Timeline` is built backwards from ``today``: the project is some way into its
current phase, the phases before it took about the template's expected days (a little
more or less), so the gates before the current phase were passed on dates before today
and the rest are forecast after it (later when the project has been red or amber). The
phase on any day, the % complete on any day and the milestone dates all come from the
same boundaries, so status reports, gates, milestones and plans cannot contradict each
other. Pure Python: the loader writes the rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

__all__ = ["MILESTONE_POINTS", "PhaseSpec", "Timeline", "make_timeline"]

# category order of the status center's phases (``pmo.portfolio.models.Phase``)
ORDER = {"idea": 0, "initiation": 1, "planning": 2, "execution": 3, "closing": 4, "closed": 5}

# milestone name → (category of the phase it opens, fraction of that phase gone by then);
# ``Build complete`` and ``UAT complete`` fall inside the execution phase.
MILESTONE_POINTS = {
    "Requirements signed off": ("planning", 0.0),
    "Design approved": ("execution", 0.0),
    "Build complete": ("execution", 0.6),
    "UAT complete": ("execution", 0.9),
    "Go-live": ("closing", 0.0),
    "Customer acceptance": ("closing", 0.0),  # delivery projects: the gate into acceptance
    "Project closed": ("closed", 0.0),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseSpec:
    """A phase of a lifecycle template: its status-center category and expected days."""

    category: str
    expected_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """The dated lifecycle of one project.

    ``actual[j]`` is the day gate ``j`` was passed (``j <= current``; ``actual[0]`` is the
    start), ``forecast[j]`` the day it is expected (``j > current``), ``planned[j]`` the
    baseline date of every gate. Gate ``j`` leads into phase ``j``.
    """

    phases: tuple[PhaseSpec, ...]
    current: int
    planned: tuple[dt.date, ...]
    actual: tuple[dt.date, ...]
    forecast: tuple[dt.date, ...]
    today: dt.date
    progress_today: int | None = None  # the plan's % complete, when a plan says so

    @property
    def start(self) -> dt.date:
        return self.actual[0]

    @property
    def entered(self) -> dt.date:
        """The day the current phase began."""
        return self.actual[self.current]

    @property
    def category(self) -> str:
        return self.phases[self.current].category

    def boundary(self, order: int) -> dt.date:
        """Actual date of gate ``order`` when passed, else its forecast."""
        return self.actual[order] if order <= self.current else self.forecast[order]

    @property
    def finish(self) -> dt.date:
        """Forecast of the last gate (into "closed")."""
        return self.boundary(len(self.phases) - 1)

    @property
    def planned_finish(self) -> dt.date:
        return self.planned[-1]

    def phase_on(self, day: dt.date) -> str | None:
        """The category of the phase the project was in on ``day`` (``None`` before start)."""
        if day < self.start:
            return None
        order = max(j for j in range(self.current + 1) if self.actual[j] <= day)
        return self.phases[order].category

    def percent_on(self, day: dt.date) -> int:
        """% complete on ``day``: the share of the forecast duration gone by (or the plan's)."""
        if day < self.start:
            return 0
        if self.progress_today is not None:
            span = max(1, (self.today - self.start).days)
            share = min(1.0, (day - self.start).days / span)
            return round(self.progress_today * share)
        span = max(1, (self.finish - self.start).days)
        return min(99, max(1, round(100 * (day - self.start).days / span)))

    def milestone(self, name: str) -> tuple[dt.date, dt.date, dt.date | None] | None:
        """(baseline, forecast, actual) of a standard milestone; ``None`` without its phase.

        A milestone that opens a phase is reached with the gate into it; one inside a phase
        when its forecast is past.
        """
        category, share = MILESTONE_POINTS[name]
        order = next(
            (j for j, p in enumerate(self.phases) if j and p.category == category),
            None,
        )
        if order is None and category == "closing":  # a lifecycle without a closing phase
            order = len(self.phases) - 1
        if order is None:
            return None
        last = len(self.phases) - 1
        end = min(order + 1, last)
        baseline = self.planned[order] + share * (self.planned[end] - self.planned[order])
        forecast = self.boundary(order) + share * (self.boundary(end) - self.boundary(order))
        reached = order <= self.current and (share == 0 or forecast < self.today)
        return baseline, forecast, forecast if reached else None


def _slip(path: list[int]) -> int:
    """Days of delay the recent weeks' ratings stand for (a red week a week, amber two days)."""
    return sum(7 for rag in path[-8:] if rag == 3) + sum(2 for rag in path[-8:] if rag == 2)


def make_timeline(
    rng: random.Random,
    phases: list[PhaseSpec],
    wanted: str,
    path: list[int],
    today: dt.date,
    *,
    into: tuple[float, float] = (0.15, 0.9),
    next_gate_in: int | None = None,
) -> Timeline:
    """A timeline whose current phase is the last one of category ``wanted`` or earlier.

    ``into`` bounds how far (share of its planned days) the project is into the current
    phase; ``next_gate_in`` instead puts the next gate that many days after ``today``.
    Phases before took their planned days, up to a quarter more; the planned days are the
    template's expectation give or take a fifth. A project red or amber lately forecasts its
    remaining gates later (:func:`_slip`) and may be past its current phase's planned end
    (its next gate then overdue).
    """
    last = len(phases) - 1
    current = max(j for j, p in enumerate(phases[:last]) if ORDER[p.category] <= ORDER[wanted])
    planned_days = [max(7, round(p.expected_days * rng.uniform(0.85, 1.2))) for p in phases]
    planned_days[last] = 0
    taken = [d + round(d * rng.uniform(-0.05, 0.25)) for d in planned_days]
    slip = _slip(path)
    low, high = into
    if slip >= 14:
        high += 0.35  # a late project may be past its current phase's planned end: overdue
    if next_gate_in is not None:
        days_in = max(7, planned_days[current] - next_gate_in)
    else:
        days_in = max(7, round(planned_days[current] * rng.uniform(low, high)))
    if current == 0:
        # a project in its first phase started before the week the one-page report shows,
        # whatever the weekday (up to 9 days back): the demo's board has all its strategic
        # projects every day
        days_in = max(days_in, 10)
    actual = [today - dt.timedelta(days=days_in)]
    for j in range(current - 1, -1, -1):
        actual.insert(0, actual[0] - dt.timedelta(days=taken[j]))
    start = actual[0]
    planned = [start]
    for j in range(last):
        planned.append(planned[-1] + dt.timedelta(days=planned_days[j]))
    forecast = list(actual)
    day = actual[current] + dt.timedelta(days=planned_days[current])
    if next_gate_in is None and day >= today:
        day += dt.timedelta(days=slip)
    for j in range(current + 1, last + 1):
        forecast.append(day)
        # past its phase's end (a gate overdue), the rest is forecast from after the slip
        day = max(day, today + dt.timedelta(days=slip)) + dt.timedelta(days=planned_days[j])
    return Timeline(
        phases=tuple(phases),
        current=current,
        planned=tuple(planned),
        actual=tuple(actual),
        forecast=tuple(forecast),
        today=today,
    )


def fit_plan(
    timeline: Timeline,
    *,
    start: dt.date,
    charter: dt.date,
    signoff: dt.date,
    go_live: tuple[dt.date, dt.date],
    progress: int,
    closed: tuple[dt.date, dt.date] | None = None,
) -> Timeline:
    """The timeline of a project in execution whose plan dates its gates.

    The plan's *Charter approved* opens the planning phase, its *Design approved* the
    execution phase, its *Go-live* (baseline, forecast) the closing phase and its *Project
    closed* (``closed``) the last gate; gates before the charter share the time up to it in
    proportion to their expected days.
    """
    phases = timeline.phases
    last = len(phases) - 1
    orders = {p.category: j for j, p in reversed(list(enumerate(phases)))}
    into_planning, into_execution = orders["planning"], orders["execution"]
    into_closing = orders.get("closing", last)
    if timeline.current != into_execution:
        raise ValueError("a planned demo project is in its execution phase")
    actual = [start]
    weights = [max(1, p.expected_days) for p in phases[:into_planning]]
    gone = 0
    for j in range(1, into_planning):
        gone += weights[j - 1]
        actual.append(start + (charter - start) * gone // sum(weights))
    actual += [charter, signoff][: into_execution - into_planning + 1]
    while len(actual) < into_execution + 1:  # a phase between planning and execution
        actual.insert(-1, charter + (signoff - charter) / 2)
    planned = list(actual)
    forecast = list(actual)
    for j in range(into_execution + 1, last + 1):
        if j == into_closing:
            planned.append(go_live[0])
            forecast.append(go_live[1])
        elif j == last and closed is not None:
            planned.append(closed[0])
            forecast.append(closed[1])
        else:
            days = dt.timedelta(days=phases[j - 1].expected_days)
            planned.append(planned[-1] + days)
            forecast.append(forecast[-1] + days)
    return Timeline(
        phases=phases,
        current=into_execution,
        planned=tuple(planned),
        actual=tuple(actual),
        forecast=tuple(forecast),
        today=timeline.today,
        progress_today=progress,
    )

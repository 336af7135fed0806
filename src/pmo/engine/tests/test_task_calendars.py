"""Per-task calendars: hand-checked edge cases and properties against the one-calendar path.

The project starts Monday 2026-11-23 08:00 on the Standard calendar (calendar
0). "Night Shift" is Microsoft Project's base calendar: Monday 23:00-24:00,
Tuesday-Friday 00:00-03:00, 04:00-08:00 and 23:00-24:00, Saturday 00:00-03:00
and 04:00-08:00 (eight hours a night, continuing over midnight).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.calendars import (
    Calendar,
    CalendarAxis,
    CalendarException,
    CalendarStack,
    CombinedCalendar,
    around_the_clock,
    hours,
    standard_calendar,
)
from pmo.engine.cpm import ConstraintType, Link, LinkType, Project, Schedule, Task, schedule
from pmo.engine.errors import InvalidInputError
from pmo.engine.tests.test_schedule_properties import projects

MONDAY = datetime(2026, 11, 23, 8)
_NIGHT_WEEK = (
    hours("23:00-24:00"),
    hours("00:00-03:00", "04:00-08:00", "23:00-24:00"),
    hours("00:00-03:00", "04:00-08:00", "23:00-24:00"),
    hours("00:00-03:00", "04:00-08:00", "23:00-24:00"),
    hours("00:00-03:00", "04:00-08:00", "23:00-24:00"),
    hours("00:00-03:00", "04:00-08:00"),
    (),
)
NIGHT = Calendar(name="Night Shift", week=_NIGHT_WEEK)
STANDARD = standard_calendar()


def _stack(*calendars: Calendar | CombinedCalendar) -> CalendarStack:
    return CalendarStack(
        axes=tuple(
            CalendarAxis(calendar=c, origin=MONDAY, days_before=30, days_after=200)
            for c in calendars
        )
    )


def _dates(stack: CalendarStack, task: Task, got: Schedule, i: int) -> tuple[datetime, datetime]:
    cal = np.array([task.calendar or 0])
    t = got.tasks[i]
    start = stack.minute_of(cal, np.array([t.start]), False)[0]
    finish = stack.minute_of(cal, np.array([t.finish]), True)[0]
    return stack.datetime(int(start)), stack.datetime(int(finish))


def test_night_shift_task_crosses_midnight() -> None:
    # given a one-night task on the Night Shift calendar, started with the project
    stack = _stack(STANDARD, NIGHT)
    task = Task(name="pour", duration=480, calendar=1)
    # when scheduled
    got = schedule(Project(tasks=(task,)), calendars=stack)
    # then it starts at the first night hour and finishes the next morning
    assert (got.tasks[0].early_start, got.tasks[0].early_finish) == (0, 480)
    assert _dates(stack, task, got, 0) == (datetime(2026, 11, 23, 23), datetime(2026, 11, 24, 8))


def test_elapsed_three_days_run_over_the_weekend() -> None:
    # given 4 working days, then 3 elapsed days (24 hours calendar), then 1 working day
    stack = _stack(STANDARD, around_the_clock())
    tasks = (
        Task(name="build", duration=4 * 480),
        Task(name="cure", duration=3 * 1440, calendar=1),
        Task(name="strip", duration=480),
    )
    links = (Link(pred=0, succ=1), Link(pred=1, succ=2))
    # when scheduled
    got = schedule(Project(tasks=tasks, links=links), calendars=stack)
    # then curing runs Thursday 17:00 to Sunday 17:00 and stripping waits for Monday
    # (Friday is a working day of the project calendar, but the cure is not over)
    assert _dates(stack, tasks[1], got, 1) == (
        datetime(2026, 11, 26, 17),
        datetime(2026, 11, 29, 17),
    )
    assert _dates(stack, tasks[2], got, 2) == (
        datetime(2026, 11, 30, 8),
        datetime(2026, 11, 30, 17),
    )
    assert got.finish == 6 * 480
    # the cure may end as late as Monday 08:00: 15 hours of its (24 hours) calendar;
    # building may not slip at all (a Friday 08:00 finish already moves the cure)
    assert got.tasks[1].total_float == 15 * 60
    assert got.critical == (0, 2)


def test_lag_into_a_resource_calendar_task_is_counted_on_the_project_calendar() -> None:
    # given A (project calendar, Monday) -> B (night shift) with a 4-hour lag
    stack = _stack(STANDARD, NIGHT)
    tasks = (Task(name="A", duration=480), Task(name="B", duration=480, calendar=1))
    # when the lag runs on the project calendar (B has only a resource calendar)
    got = schedule(Project(tasks=tasks, links=(Link(pred=0, succ=1, lag=240),)), calendars=stack)
    # then Monday 17:00 + 4 working hours is Tuesday 12:00, and B waits for the night
    assert _dates(stack, tasks[1], got, 1) == (
        datetime(2026, 11, 24, 23),
        datetime(2026, 11, 25, 8),
    )
    # A may finish as late as Tuesday 12:00 without moving B: 4 hours of slack
    assert got.tasks[0].total_float == 240
    assert got.tasks[0].free_float == 240
    assert got.tasks[1].total_float == 0
    # when the lag runs on B's own (task) calendar instead
    night_lag = Link(pred=0, succ=1, lag=240, calendar=1)
    got = schedule(Project(tasks=tasks, links=(night_lag,)), calendars=stack)
    # then Monday 17:00 + 4 night hours is Tuesday 03:00, and B starts at 04:00
    assert _dates(stack, tasks[1], got, 1) == (datetime(2026, 11, 24, 4), datetime(2026, 11, 25, 3))
    assert got.tasks[0].total_float == 0


def test_holiday_only_on_the_resource_calendar() -> None:
    # given a resource calendar derived from Standard, off on Tuesday
    leave = CalendarException(first=date(2026, 11, 24), name="leave")
    alice = Calendar(name="Alice", base=STANDARD, exceptions=(leave,))
    stack = _stack(STANDARD, alice)
    tasks = (
        Task(name="by Alice", duration=960, calendar=1),
        Task(name="after Alice", duration=480),
        Task(name="by the team", duration=960),
    )
    # when scheduled
    got = schedule(Project(tasks=tasks, links=(Link(pred=0, succ=1),)), calendars=stack)
    # then Alice works Monday and Wednesday, the team Monday and Tuesday
    assert _dates(stack, tasks[0], got, 0) == (MONDAY, datetime(2026, 11, 25, 17))
    assert _dates(stack, tasks[1], got, 1) == (
        datetime(2026, 11, 26, 8),
        datetime(2026, 11, 26, 17),
    )
    assert _dates(stack, tasks[2], got, 2) == (MONDAY, datetime(2026, 11, 24, 17))
    # Alice's task is 960 of her minutes; the project finishes Thursday evening
    assert got.tasks[0].early_finish == 960
    assert got.finish == 4 * 480
    # the team's task may slip to Thursday: 2 working days of its calendar
    assert got.tasks[2].total_float == 2 * 480


def test_status_date_and_summary_roll_up_on_the_clock() -> None:
    # given a summary over a night task and a day task, status date Monday 17:00
    stack = _stack(STANDARD, NIGHT)
    tasks = (
        Task(name="phase"),
        Task(name="night", duration=480, parent=0, calendar=1),
        Task(name="day", duration=480, parent=0),
    )
    got = schedule(Project(tasks=tasks, status_date=480), calendars=stack)
    # then the night task may start Monday 23:00 (after the status date), the day task Tuesday
    assert _dates(stack, tasks[1], got, 1) == (
        datetime(2026, 11, 23, 23),
        datetime(2026, 11, 24, 8),
    )
    assert _dates(stack, tasks[2], got, 2) == (
        datetime(2026, 11, 24, 8),
        datetime(2026, 11, 24, 17),
    )
    # and the summary (project calendar) spans them: the night's start reads as Tuesday 08:00
    assert (got.tasks[0].start, got.tasks[0].finish) == (480, 960)


def test_unknown_calendars_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="pass calendars"):
        schedule(Project(tasks=(Task(duration=1, calendar=1),)))
    with pytest.raises(InvalidInputError, match=r"calendar 2: out of range 0\.\.1"):
        schedule(Project(tasks=(Task(duration=1, calendar=2),)), calendars=_stack(STANDARD, NIGHT))


def test_intersection_and_union_of_calendars() -> None:
    mornings = Calendar(name="mornings", week=(hours("06:00-12:00"),) * 7)
    common = CombinedCalendar(name="common", parts=(STANDARD, mornings))
    either = CombinedCalendar(name="either", parts=(STANDARD, mornings), mode="any")
    monday, saturday = date(2026, 11, 23), date(2026, 11, 28)
    assert common.day_hours(monday) == ((480, 720),)
    assert common.day_hours(saturday) == ()
    assert either.day_hours(monday) == ((360, 720), (780, 1020))
    assert either.day_hours(saturday) == ((360, 720),)


# -- properties -------------------------------------------------------------

_TWINS = _stack(STANDARD, standard_calendar(name="copy"), NIGHT, around_the_clock())
_PROJECT_AXIS = _TWINS.axes[0]
TYPES = list(LinkType)


@st.composite
def networks(draw: st.DrawFn, calendars: tuple[int, ...]) -> Project:
    n = draw(st.integers(min_value=1, max_value=10))
    tasks = tuple(
        Task(duration=draw(st.integers(0, 1500)), calendar=draw(st.sampled_from(calendars)))
        for _ in range(n)
    )
    links = []
    for a in range(n):
        for b in range(a + 1, n):
            if draw(st.integers(0, 2)) == 0:
                elapsed = draw(st.booleans())
                links.append(
                    Link(
                        pred=a,
                        succ=b,
                        type=draw(st.sampled_from(TYPES)),
                        lag=draw(st.integers(-900, 900)),
                        elapsed=elapsed,
                        calendar=draw(st.sampled_from(calendars)),
                    )
                )
    return Project(tasks=tasks, links=tuple(links))


@settings(max_examples=150, deadline=None)
@given(networks((0, 1)))
def test_twin_calendars_give_the_one_calendar_schedule(project: Project) -> None:
    # calendar 1 is a copy of the project calendar: the calendar path must agree exactly
    fast = schedule(
        Project(
            tasks=tuple(Task(duration=t.duration) for t in project.tasks),
            links=tuple(
                Link(pred=k.pred, succ=k.succ, type=k.type, lag=k.lag, elapsed=k.elapsed)
                for k in project.links
            ),
        ),
        axis=_PROJECT_AXIS,
    )
    slow = schedule(project, calendars=_TWINS, axis=_PROJECT_AXIS)
    assert slow == fast


def _anchor(stack: CalendarStack, task: Task, offset: int, finish: bool) -> int:
    return int(stack.minute_of(np.array([task.calendar or 0]), np.array([offset]), finish)[0])


@settings(max_examples=150, deadline=None)
@given(networks((0, 2, 3)), st.sampled_from(["levels", "loop"]))
def test_links_hold_on_the_clock_and_floats_are_consistent(project: Project, method: str) -> None:
    kw = {"calendars": _TWINS, "axis": _PROJECT_AXIS}
    got = schedule(project, method=method, **kw)  # type: ignore[arg-type]
    other = schedule(project, method="loop" if method == "levels" else "levels", **kw)  # type: ignore[arg-type]
    assert got == other
    for link in project.links:
        p, s = project.tasks[link.pred], project.tasks[link.succ]
        a, b = got.tasks[link.pred], got.tasks[link.succ]
        from_finish = link.type in (LinkType.FS, LinkType.FF)
        to_finish = link.type in (LinkType.FF, LinkType.SF)
        at = _anchor(_TWINS, p, a.finish if from_finish else a.start, from_finish)
        if link.elapsed:
            at += link.lag
        elif link.lag:
            cal = np.array([link.calendar or 0])
            work = _TWINS.work_before(cal, np.array([at]))
            at = int(_TWINS.minute_of(cal, work + link.lag, link.lag > 0)[0])
        # the successor's start (finish) is at or after the lagged instant on its calendar
        succ_at = _anchor(_TWINS, s, b.finish if to_finish else b.start, to_finish)
        if to_finish:
            assert succ_at >= at or b.finish == int(
                _TWINS.work_before(np.array([s.calendar or 0]), np.array([at]))[0]
            )
        else:
            assert b.start >= int(
                _TWINS.work_before(np.array([s.calendar or 0]), np.array([at]))[0]
            )
    assert min(t.total_float for t in got.tasks) == 0
    for t in got.tasks:
        assert t.total_float >= 0
        assert 0 <= t.free_float <= t.total_float


@st.composite
def rich_projects(draw: st.DrawFn) -> tuple[Project, Project]:
    """A project with summaries, actuals, constraints and a status date, and its twin.

    The twin puts random tasks and lags on calendar 1, a copy of the project calendar.
    """
    base = draw(projects())
    kinds = list(ConstraintType)
    summary_kinds = [ConstraintType.ASAP, ConstraintType.SNET, ConstraintType.FNLT]
    parents = {t.parent for t in base.tasks}
    tasks, twins = [], []
    for i, t in enumerate(base.tasks):
        kind = draw(st.sampled_from(summary_kinds if i in parents else kinds))
        when = (
            draw(st.integers(0, 30))
            if kind not in (ConstraintType.ASAP, ConstraintType.ALAP)
            else None
        )
        plain = replace(t, constraint=kind, constraint_time=when)
        tasks.append(plain)
        twins.append(replace(plain, calendar=draw(st.sampled_from((0, 1)))))
    links = tuple(base.links)
    twin_links = tuple(replace(k, calendar=draw(st.sampled_from((0, 1)))) for k in links)
    one = Project(tasks=tuple(tasks), links=links, status_date=base.status_date)
    two = Project(tasks=tuple(twins), links=twin_links, status_date=base.status_date)
    return one, two


@settings(max_examples=150, deadline=None)
@given(rich_projects())
def test_rich_model_on_twin_calendars_gives_the_one_calendar_schedule(
    pair: tuple[Project, Project],
) -> None:
    one, two = pair
    try:
        fast = schedule(one, axis=_PROJECT_AXIS)
    except InvalidInputError as exc:  # e.g. a summary constraint the engine refuses
        with pytest.raises(InvalidInputError, match=re.escape(str(exc))):
            schedule(two, calendars=_TWINS, axis=_PROJECT_AXIS)
        return
    assert schedule(two, calendars=_TWINS, axis=_PROJECT_AXIS) == fast

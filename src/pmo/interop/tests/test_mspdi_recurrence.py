"""Recurring calendar exceptions of MSPDI: expanded to hand-computed dates; bad rules refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.interop import services
from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_read import read_mspdi
from pmo.interop.mspdi_recurrence import Recurrence, RecurrenceError, occurrences
from pmo.scheduling.planio import ExceptionData
from pmo.scheduling.selectors import plan_data

D = dt.date


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (  # every 2nd Tuesday of the month, 6 occurrences
            Recurrence(type=5, first=D(2026, 1, 1), count=6, month_item=5, month_position=1),
            [
                D(2026, 1, 13),
                D(2026, 2, 10),
                D(2026, 3, 10),
                D(2026, 4, 14),
                D(2026, 5, 12),
                D(2026, 6, 9),
            ],
        ),
        (  # yearly on 1 October (Month is 0-based)
            Recurrence(type=2, first=D(2026, 1, 1), last=D(2028, 12, 31), month=9, month_day=1),
            [D(2026, 10, 1), D(2027, 10, 1), D(2028, 10, 1)],
        ),
        (  # every other Friday (weeks start on Sunday)
            Recurrence(type=6, first=D(2026, 3, 6), last=D(2026, 4, 30), period=2, days_of_week=32),
            [D(2026, 3, 6), D(2026, 3, 20), D(2026, 4, 3), D(2026, 4, 17)],
        ),
        (  # every other week on Monday and Wednesday, from a Wednesday
            Recurrence(type=6, first=D(2026, 3, 4), count=4, period=2, days_of_week=2 | 8),
            [D(2026, 3, 4), D(2026, 3, 16), D(2026, 3, 18), D(2026, 3, 30)],
        ),
        (  # every 3 days, 4 times
            Recurrence(type=1, first=D(2026, 3, 2), count=4, period=3),
            [D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 8), D(2026, 3, 11)],
        ),
        (  # a plain dated range (what Microsoft Project writes for a holiday)
            Recurrence(type=1, first=D(2026, 10, 1), last=D(2026, 10, 3)),
            [D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 3)],
        ),
        (  # day count
            Recurrence(type=7, first=D(2026, 3, 2), count=2),
            [D(2026, 3, 2), D(2026, 3, 3)],
        ),
        (  # weekday count, from a Friday
            Recurrence(type=8, first=D(2026, 3, 6), count=3),
            [D(2026, 3, 6), D(2026, 3, 9), D(2026, 3, 10)],
        ),
        (  # monthly on the 31st: short months use their last day
            Recurrence(type=4, first=D(2026, 1, 1), count=4, month_day=31),
            [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)],
        ),
        (  # every 2 months on the 15th, starting after the 15th of the first month
            Recurrence(type=4, first=D(2026, 1, 20), last=D(2026, 7, 31), period=2, month_day=15),
            [D(2026, 3, 15), D(2026, 5, 15), D(2026, 7, 15)],
        ),
        (  # last weekday of the month
            Recurrence(type=5, first=D(2026, 1, 1), count=2, month_item=1, month_position=4),
            [D(2026, 1, 30), D(2026, 2, 27)],
        ),
        (  # first weekend day of the month
            Recurrence(type=5, first=D(2026, 3, 2), count=2, month_item=2, month_position=0),
            [D(2026, 4, 4), D(2026, 5, 2)],
        ),
        (  # Thanksgiving: fourth Thursday of November
            Recurrence(
                type=3,
                first=D(2026, 1, 1),
                last=D(2028, 12, 31),
                month=10,
                month_item=7,
                month_position=3,
            ),
            [D(2026, 11, 26), D(2027, 11, 25), D(2028, 11, 23)],
        ),
        (  # 29 February yearly falls on the 28th in common years
            Recurrence(type=2, first=D(2027, 1, 1), count=2, month=1, month_day=29),
            [D(2027, 2, 28), D(2028, 2, 29)],
        ),
    ],
)
def test_recurrences_expand_to_hand_computed_dates(rule: Recurrence, expected: list[D]) -> None:
    assert occurrences(rule) == expected


def test_weekly_weeks_count_from_the_configured_week_start() -> None:
    # From Sunday 8 March, every other week on Sunday. Weeks starting on Sunday: the 8th
    # opens week 0; weeks starting on Monday: the 8th closes week 0 (2 March).
    sunday_weeks = Recurrence(type=6, first=D(2026, 3, 8), count=2, period=2, days_of_week=1)
    monday_weeks = Recurrence(
        type=6, first=D(2026, 3, 8), count=2, period=2, days_of_week=1, week_start=1
    )
    assert occurrences(sunday_weeks) == [D(2026, 3, 8), D(2026, 3, 22)]
    assert occurrences(monday_weeks) == [D(2026, 3, 8), D(2026, 3, 22)]
    # ... but a Monday+Sunday rule differs: the Monday of the Sunday-started week 0 is the 9th
    both = Recurrence(type=6, first=D(2026, 3, 8), count=3, period=2, days_of_week=3)
    assert occurrences(both) == [D(2026, 3, 8), D(2026, 3, 9), D(2026, 3, 22)]
    assert occurrences(dataclasses.replace(both, week_start=1)) == [
        D(2026, 3, 8),
        D(2026, 3, 16),
        D(2026, 3, 22),
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Recurrence(type=2, first=D(2026, 1, 1), count=0, month=0, month_day=1),
         "Occurrences 0 is not 1 or more"),
        (Recurrence(type=2, first=D(2026, 5, 1), last=D(2026, 4, 1), month=0, month_day=1),
         "TimePeriod ends (2026-04-01) before it starts (2026-05-01)"),
        (Recurrence(type=2, first=D(2026, 1, 1), count=2, month_day=1), "Month is missing"),
        (Recurrence(type=2, first=D(2026, 1, 1), count=2, month=12, month_day=1),
         "Month 12 is not 0..11"),
        (Recurrence(type=5, first=D(2026, 1, 1), count=2, month_item=3, month_position=5),
         "MonthPosition 5 is not 0..4"),
        (Recurrence(type=6, first=D(2026, 1, 1), count=2), "DaysOfWeek is missing"),
        (Recurrence(type=1, first=D(2026, 1, 1), count=2, period=0), "Period 0 is not 1 or more"),
        (Recurrence(type=9, first=D(2026, 1, 1), count=2), "Type 9 is not 1..8"),
        (Recurrence(type=1, first=D(2026, 1, 1)),
         "TimePeriod/ToDate is missing (and not EnteredByOccurrences)"),
        (Recurrence(type=1, first=D(2026, 1, 1), last=D(2149, 12, 31), period=2),
         "more than 10000 occurrences"),
    ],
)  # fmt: skip
def test_bad_recurrences_are_refused(rule: Recurrence, message: str) -> None:
    with pytest.raises(RecurrenceError) as err:
        occurrences(rule)
    assert str(err.value) == message


HEAD = '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'
WEEK = "".join(
    f"<WeekDay><DayType>{k}</DayType><DayWorking>{int(1 < k < 7)}</DayWorking>"
    + (
        "<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime>"
        "</WorkingTime><WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime>"
        "</WorkingTime></WorkingTimes>"
        if 1 < k < 7
        else ""
    )
    + "</WeekDay>"
    for k in range(1, 8)
)


def _exception(body: str, name: str = "Team day") -> str:
    return f"<Exception>{body}<Name>{name}</Name></Exception>"


def _plan(exceptions: str, start: str = "2026-03-02T08:00:00") -> bytes:
    """A one-calendar plan: 3-day task A, then 1-day task B (written from the schema)."""
    return (
        f"{HEAD}<Name>recurring</Name><StartDate>{start}</StartDate><CalendarUID>1</CalendarUID>"
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        f"<WeekDays>{WEEK}</WeekDays><Exceptions>{exceptions}</Exceptions></Calendar></Calendars>"
        "<Tasks><Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
        "<Duration>PT24H0M0S</Duration></Task><Task><UID>2</UID><Name>B</Name>"
        "<OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration><PredecessorLink>"
        "<PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink></Task></Tasks>"
        "</Project>"
    ).encode()


EVERY_WEDNESDAY = _exception(
    "<EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>2026-03-02T00:00:00"
    "</FromDate><ToDate>2026-03-25T23:59:00</ToDate></TimePeriod><Occurrences>4</Occurrences>"
    "<Type>6</Type><Period>1</Period><DaysOfWeek>8</DaysOfWeek><DayWorking>0</DayWorking>"
)
SATURDAY_MORNINGS = _exception(
    "<EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod><FromDate>2026-03-01T00:00:00"
    "</FromDate><ToDate>2026-04-30T23:59:00</ToDate></TimePeriod><Type>5</Type>"
    "<MonthItem>9</MonthItem><MonthPosition>0</MonthPosition><DayWorking>1</DayWorking>"
    "<WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>12:00:00</ToTime>"
    "</WorkingTime></WorkingTimes>",
    name="First Saturday",
)


def test_recurring_exceptions_are_read_as_dated_exceptions() -> None:
    data = read_mspdi(_plan(EVERY_WEDNESDAY + SATURDAY_MORNINGS))
    wednesdays = [
        ExceptionData(first=D(2026, 3, k), last=D(2026, 3, k), name="Team day")
        for k in (4, 11, 18, 25)
    ]
    saturdays = [
        ExceptionData(first=day, last=day, hours=[(540, 720)], name="First Saturday")
        for day in (D(2026, 3, 7), D(2026, 4, 4))
    ]
    assert data.calendars[0].exceptions == [*wednesdays, *saturdays]


def test_consecutive_occurrences_are_one_range() -> None:
    weekdays = _exception(
        "<EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>2026-03-05T00:00:00"
        "</FromDate><ToDate>2026-03-10T23:59:00</ToDate></TimePeriod><Occurrences>4</Occurrences>"
        "<Type>8</Type><DayWorking>0</DayWorking>",
        name="Shutdown",
    )
    assert read_mspdi(_plan(weekdays)).calendars[0].exceptions == [
        ExceptionData(first=D(2026, 3, 5), last=D(2026, 3, 6), name="Shutdown"),
        ExceptionData(first=D(2026, 3, 9), last=D(2026, 3, 10), name="Shutdown"),
    ]


def test_a_plan_with_recurring_holidays_schedules_around_them(
    make_project: Any, users: Any
) -> None:
    project = make_project()
    content = _plan(EVERY_WEDNESDAY + SATURDAY_MORNINGS)
    plan = services.import_msproject(actor=users["pm"], content=content, project=project)
    a, b = plan.tasks.get(uid=1), plan.tasks.get(uid=2)
    # A: Mon 2, Tue 3, (Wed 4 off) Thu 5 -> Thu 17:00. B: Fri 6 (Sat 7 is 3 h only)
    assert a.finish.replace(tzinfo=None) == dt.datetime(2026, 3, 5, 17)
    assert b.start.replace(tzinfo=None) == dt.datetime(2026, 3, 6, 8)
    assert b.finish.replace(tzinfo=None) == dt.datetime(2026, 3, 6, 17)
    # the export writes the expanded dates; reading it back gives the same plan
    before = plan_data(plan)
    again = services.import_msproject(
        actor=users["pm"], content=services.export_msproject(plan), project=project
    )
    assert plan_data(again) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "<TimePeriod><FromDate>2026-03-02T00:00:00</FromDate><ToDate>2026-03-25T23:59:00"
            "</ToDate></TimePeriod><DayWorking>0</DayWorking>",
            "Calendar UID 1: Exception “Team day”: Type is missing",
        ),
        (
            "<EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>"
            "2026-03-02T00:00:00</FromDate><ToDate>2026-03-25T23:59:00</ToDate></TimePeriod>"
            "<Occurrences>0</Occurrences><Type>6</Type><DaysOfWeek>8</DaysOfWeek>",
            "Calendar UID 1: Exception “Team day”: Occurrences 0 is not 1 or more",
        ),
        (
            "<EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod><FromDate>"
            "2026-03-02T00:00:00</FromDate></TimePeriod><Type>6</Type><DaysOfWeek>8</DaysOfWeek>",
            "Calendar UID 1: Exception “Team day”: EnteredByOccurrences without Occurrences",
        ),
        (
            "<TimePeriod><FromDate>2026-03-02T00:00:00</FromDate><ToDate>2026-02-25T23:59:00"
            "</ToDate></TimePeriod><Type>4</Type><MonthDay>3</MonthDay>",
            "Calendar UID 1: Exception “Team day”: TimePeriod ends (2026-02-25) before it "
            "starts (2026-03-02)",
        ),
        (
            "<TimePeriod><FromDate>2026-03-02T00:00:00</FromDate><ToDate>2026-02-25T23:59:00"
            "</ToDate></TimePeriod><Type>1</Type>",
            "Calendar UID 1: exception from 2026-03-02 to 2026-02-25: ToDate is before FromDate",
        ),
        (
            "<TimePeriod><FromDate>2026-03-02T00:00:00</FromDate><ToDate>2026-03-25T23:59:00"
            "</ToDate></TimePeriod><Type>3</Type><Month>2</Month><MonthItem>12</MonthItem>"
            "<MonthPosition>0</MonthPosition>",
            "Calendar UID 1: Exception “Team day”: MonthItem 12 is not 0..9",
        ),
        (
            "<TimePeriod><FromDate>2026-03-02T00:00:00</FromDate><ToDate>2026-03-25T23:59:00"
            "</ToDate></TimePeriod><Type>weekly</Type>",
            "Calendar UID 1: Exception “Team day”: Type “weekly” is not an integer",
        ),
    ],
)
def test_bad_recurring_exceptions_are_refused_naming_the_element(body: str, message: str) -> None:
    with pytest.raises(ImportFileError) as err:
        read_mspdi(_plan(_exception(body)))
    assert err.value.message == message


def test_a_bad_recurrence_writes_nothing(make_project: Any, users: Any) -> None:
    from pmo.scheduling.models import Plan

    project = make_project()
    bad = _plan(_exception("<TimePeriod><FromDate>2026-03-02T00:00:00</FromDate></TimePeriod>"))
    with pytest.raises(ImportFileError):
        services.import_msproject(actor=users["pm"], content=bad, project=project)
    assert not Plan.objects.filter(project=project).exists()


def _brute_force(rule: Recurrence, day: D) -> bool:
    """Whether ``day`` matches a Period-1 rule, checked one date at a time."""
    import calendar

    length = calendar.monthrange(day.year, day.month)[1]
    if rule.type == 6:
        return bool(rule.days_of_week and rule.days_of_week & (1 << ((day.weekday() + 1) % 7)))
    if rule.type in (2, 4):
        month_ok = rule.type == 4 or day.month == (rule.month or 0) + 1
        return month_ok and day.day == min(rule.month_day or 1, length)
    item, position = rule.month_item or 0, rule.month_position or 0
    if rule.type == 3 and day.month != (rule.month or 0) + 1:
        return False
    same = [
        k
        for k in range(1, length + 1)
        if item == 0
        or (item == 1 and D(day.year, day.month, k).weekday() < 5)
        or (item == 2 and D(day.year, day.month, k).weekday() >= 5)
        or (item >= 3 and (D(day.year, day.month, k).weekday() + 1) % 7 == item - 3)
    ]
    return day.day == (same[-1] if position == 4 else same[position])


@st.composite
def rules(draw: st.DrawFn) -> Recurrence:
    first = draw(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)))
    last = first + dt.timedelta(days=draw(st.integers(0, 800)))
    kind = draw(st.sampled_from([2, 3, 4, 5, 6]))
    return Recurrence(
        type=kind,
        first=first,
        last=last,
        days_of_week=draw(st.integers(1, 127)),
        month=draw(st.integers(0, 11)),
        month_day=draw(st.integers(1, 31)),
        month_item=draw(st.integers(0, 9)),
        month_position=draw(st.integers(0, 4)),
        week_start=draw(st.integers(0, 6)),
    )


@settings(max_examples=200, deadline=None)
@given(rules())
def test_every_matching_date_in_the_period_and_only_those(rule: Recurrence) -> None:
    assert rule.last is not None
    span = (rule.last - rule.first).days + 1
    expected = [
        day
        for day in (rule.first + dt.timedelta(days=k) for k in range(span))
        if _brute_force(rule, day)
    ]
    assert occurrences(rule) == expected

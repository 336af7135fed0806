"""Calendar conversions: hand-checked edge cases and round-trip properties."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.calendars import (
    STANDARD_HOURS,
    Calendar,
    CalendarAxis,
    CalendarException,
    WorkWeek,
    add_working_time,
    china_calendar,
    hours,
    next_working_start,
    previous_working_finish,
    standard_calendar,
    western_calendar,
    working_time_between,
)
from pmo.engine.cpm import Link, Project, Task, schedule
from pmo.engine.errors import InfeasibleError, InvalidInputError

MONDAY = datetime(2026, 11, 23, 8)


def test_task_ending_at_end_of_day_finishes_at_17_not_next_morning() -> None:
    ax = CalendarAxis(calendar=standard_calendar(), origin=MONDAY)
    assert ax.finish_datetime(480) == datetime(2026, 11, 23, 17)
    assert ax.start_datetime(480) == datetime(2026, 11, 24, 8)
    assert ax.task_datetimes(0, 480) == (MONDAY, datetime(2026, 11, 23, 17))


def test_half_day_finishes_at_noon_and_successor_starts_after_lunch() -> None:
    ax = CalendarAxis(calendar=standard_calendar(), origin=MONDAY)
    assert ax.finish_datetime(240) == datetime(2026, 11, 23, 12)
    assert ax.start_datetime(240) == datetime(2026, 11, 23, 13)


def test_friday_finish_and_monday_start() -> None:
    ax = CalendarAxis(calendar=standard_calendar(), origin=MONDAY)
    assert ax.finish_datetime(5 * 480) == datetime(2026, 11, 27, 17)
    assert ax.start_datetime(5 * 480) == datetime(2026, 11, 30, 8)


def test_offset_of_non_working_instants_is_the_work_before_them() -> None:
    ax = CalendarAxis(calendar=standard_calendar(), origin=MONDAY)
    assert ax.offset(datetime(2026, 11, 23, 12, 30)) == 240  # lunch
    assert ax.offset(datetime(2026, 11, 28, 10)) == 2400  # Saturday
    assert ax.offset(datetime(2026, 11, 23, 7)) == 0  # before the start
    assert ax.offset(datetime(2026, 11, 20, 16)) == -60  # the Friday before


def test_lag_across_a_holiday() -> None:
    # Thursday 2026-11-26 is a holiday. A (3 days) ends Wed 17:00; B starts
    # after a 1-day lag, which is Friday, so B starts Monday 08:00.
    cal = western_calendar([date(2026, 11, 26)], workday=STANDARD_HOURS)
    ax = CalendarAxis(calendar=cal, origin=MONDAY)
    s = schedule(
        Project(
            tasks=(Task(duration=3 * 480), Task(duration=480)),
            links=(Link(pred=0, succ=1, lag=480),),
        )
    )
    a, b = s.tasks
    assert ax.finish_datetime(a.early_finish) == datetime(2026, 11, 25, 17)
    assert ax.task_datetimes(b.early_start, b.early_finish) == (
        datetime(2026, 11, 30, 8),
        datetime(2026, 11, 30, 17),
    )


def test_china_national_day_2026_and_make_up_saturday() -> None:
    # 2026-10-01..07 are holidays; Saturday 2026-10-10 is a 调休 working day.
    cn = china_calendar()
    ax = CalendarAxis(calendar=cn, origin=datetime(2026, 9, 30, 8))
    # two days from Wed 30 Sep: 30 Sep and Thu 8 Oct
    assert ax.finish_datetime(2 * 480) == datetime(2026, 10, 8, 17)
    # five days from 8 Oct: 8, 9, Sat 10, Mon 12, Tue 13 (Sunday 11 is off)
    assert ax.finish_datetime(6 * 480) == datetime(2026, 10, 13, 17)
    assert cn.day_hours(date(2026, 10, 10)) == STANDARD_HOURS
    assert cn.day_hours(date(2026, 10, 11)) == ()
    assert [cn.day_hours(date(2026, 10, d)) for d in range(1, 8)] == [()] * 7


def test_china_make_up_sunday_after_new_year_2026() -> None:
    cn = china_calendar()
    # 1-3 Jan 2026 are holidays and Sunday 4 Jan is worked
    start = datetime(2025, 12, 31, 8)
    assert add_working_time(cn, start, 2 * 480) == datetime(2026, 1, 4, 17)
    assert working_time_between(cn, datetime(2026, 1, 1), datetime(2026, 1, 5)) == 480


def test_china_spring_festival_2026_is_off() -> None:
    cn = china_calendar()
    assert cn.day_hours(date(2026, 2, 16)) == ()
    assert cn.day_hours(date(2026, 2, 14)) == STANDARD_HOURS  # Saturday make-up day
    assert working_time_between(cn, datetime(2026, 2, 16), datetime(2026, 2, 24)) == 0


def test_unknown_china_years_fall_back_to_weekends_and_are_reported() -> None:
    cn = china_calendar()
    # 2027 is not in chinesecalendar: 1 Jan 2027 (a Friday) counts as a workday
    assert cn.day_hours(date(2027, 1, 1)) == STANDARD_HOURS
    assert cn.unknown_years(date(2026, 1, 1), date(2028, 6, 1)) == (2027, 2028)
    ax = CalendarAxis(calendar=cn, origin=datetime(2026, 12, 1, 8))
    assert ax.assumed_years(0, 480 * 40) == (2027,)
    assert ax.assumed_years(0, 480) == ()


def test_admin_can_enter_a_new_year_as_exceptions() -> None:
    spring_2027 = CalendarException(
        first=date(2027, 2, 6), last=date(2027, 2, 13), name="Spring Festival"
    )
    cn = Calendar(
        name="CN with 2027",
        base=china_calendar(),
        exceptions=(spring_2027,),
        covered_years=frozenset({2027}),
    )
    assert cn.day_hours(date(2027, 2, 8)) == ()
    assert cn.unknown_years(date(2026, 1, 1), date(2027, 12, 31)) == ()


def test_resource_calendar_derives_from_the_project_calendar() -> None:
    project = standard_calendar(holidays=[date(2026, 12, 25)])
    alice = Calendar(
        name="Alice",
        base=project,
        exceptions=(
            CalendarException(first=date(2026, 12, 21), last=date(2026, 12, 22), name="leave"),
            CalendarException(
                first=date(2026, 12, 26), hours=hours("09:00-13:00"), name="Saturday shift"
            ),
        ),
    )
    assert alice.day_hours(date(2026, 12, 21)) == ()
    assert alice.day_hours(date(2026, 12, 25)) == ()  # inherited holiday
    assert alice.day_hours(date(2026, 12, 26)) == ((540, 780),)
    assert alice.day_hours(date(2026, 12, 23)) == STANDARD_HOURS
    assert project.day_hours(date(2026, 12, 21)) == STANDARD_HOURS


def test_work_week_replaces_the_default_week_for_its_dates() -> None:
    summer = WorkWeek(
        first=date(2026, 7, 1),
        last=date(2026, 8, 31),
        week=(hours("08:00-14:00"),) * 4 + ((), (), ()),
        name="summer",
    )
    base = standard_calendar(holidays=[date(2026, 7, 2)])
    cal = Calendar(name="summer hours", base=base, work_weeks=(summer,))
    assert cal.day_hours(date(2026, 6, 30)) == STANDARD_HOURS
    assert cal.day_hours(date(2026, 7, 1)) == ((480, 840),)
    assert cal.day_hours(date(2026, 7, 2)) == ()  # the base's holiday still applies
    assert cal.day_hours(date(2026, 7, 3)) == ()  # summer Fridays off
    # Wed 1 Jul 08:00 + 12 h: 6 h on Wed, Thu is a holiday, Fri off, 6 h on Mon
    assert add_working_time(cal, datetime(2026, 7, 1, 8), 720) == datetime(2026, 7, 6, 14)


def test_exception_with_its_own_hours_on_a_working_day() -> None:
    cal = Calendar(
        name="short Friday",
        week=standard_calendar().week,
        exceptions=(CalendarException(first=date(2026, 11, 27), hours=hours("08:00-12:00")),),
    )
    assert add_working_time(cal, datetime(2026, 11, 27, 8), 300) == datetime(2026, 11, 30, 9)


def test_add_working_time_both_ways_and_snapping() -> None:
    cal = standard_calendar()
    assert add_working_time(cal, datetime(2026, 11, 23, 8), -60) == datetime(2026, 11, 20, 16)
    assert add_working_time(cal, datetime(2026, 11, 23, 8), 0) == datetime(2026, 11, 23, 8)
    assert next_working_start(cal, datetime(2026, 11, 22, 10)) == datetime(2026, 11, 23, 8)
    assert next_working_start(cal, datetime(2026, 11, 23, 12, 15)) == datetime(2026, 11, 23, 13)
    assert previous_working_finish(cal, datetime(2026, 11, 23, 12, 15)) == datetime(
        2026, 11, 23, 12
    )
    assert working_time_between(cal, datetime(2026, 11, 27, 8), datetime(2026, 11, 23, 8)) == (
        -4 * 480
    )


def test_invalid_calendars_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="non-overlapping"):
        hours("10:00-12:00", "11:00-13:00")
    with pytest.raises(InvalidInputError, match="7 days"):
        Calendar(name="x", week=((),))
    with pytest.raises(InvalidInputError, match="week or a base"):
        Calendar(name="x")
    with pytest.raises(InfeasibleError):
        CalendarAxis(calendar=Calendar(name="never", week=((),) * 7), origin=MONDAY)


def test_beyond_the_horizon_is_an_error() -> None:
    ax = CalendarAxis(calendar=standard_calendar(), origin=MONDAY, days_after=10)
    with pytest.raises(InvalidInputError, match="horizon"):
        ax.finish_datetime(480 * 30)


def test_night_shift_over_midnight_is_continuous() -> None:
    # Mon-Fri 22:00-24:00 continuing 00:00-06:00 the next morning
    night = hours("22:00-24:00")
    early = hours("00:00-06:00")
    week = tuple((early if 0 < d < 6 else ()) + (night if d < 5 else ()) for d in range(7))
    cal = Calendar(name="night", week=week)
    ax = CalendarAxis(calendar=cal, origin=datetime(2026, 11, 23, 22))
    assert ax.finish_datetime(480) == datetime(2026, 11, 24, 6)
    assert ax.start_datetime(480) == datetime(2026, 11, 24, 22)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-20_000, max_value=300_000))
def test_offset_round_trips_through_start_and_finish(t: int) -> None:
    ax = _AX
    assert ax.offset(ax.start_datetime(t)) == t
    assert ax.offset(ax.finish_datetime(t)) == t
    assert ax.finish_datetime(t) <= ax.start_datetime(t)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=-5000, max_value=5000),
    st.booleans(),
)
def test_unshift_is_the_largest_anchor_whose_shift_fits(t: int, lag: int, fin: bool) -> None:
    ax = _AX
    f = np.array([fin])
    bound = ax.shift(np.array([t]), np.array([lag]), f)
    best = int(ax.unshift(bound, np.array([lag]), f)[0])
    assert best >= t
    assert int(ax.shift(np.array([best]), np.array([lag]), f)[0]) <= int(bound[0])
    assert int(ax.shift(np.array([best + 1]), np.array([lag]), f)[0]) > int(bound[0])


_AX = CalendarAxis(calendar=china_calendar(), origin=datetime(2025, 12, 29, 8), days_after=2000)

"""Resource calendars: mainland-China holidays and 调休 against Monday to Friday."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pmo.resources.calendars import DayAxis, Overrides, assumed_years, working

SEP28 = dt.date(2026, 9, 28)  # Monday before Golden Week (1-7 October 2026 off)
SAT10 = dt.date(2026, 10, 10)  # a Saturday worked in China (调休)


def test_china_takes_holidays_off_and_works_adjusted_weekends() -> None:
    days = working("CN", SEP28, dt.date(2026, 10, 11))
    worked = [SEP28 + dt.timedelta(days=int(i)) for i in np.flatnonzero(days)]
    assert [d.day for d in worked] == [28, 29, 30, 8, 9, 10]
    assert working("", SEP28, dt.date(2026, 10, 11)).sum() == 10


def test_axis_of_one_calendar_skips_its_days_off() -> None:
    axis = DayAxis(["CN"], SEP28 - dt.timedelta(days=7), SEP28, dt.date(2026, 12, 31))
    assert [axis.date(i) for i in range(6)] == [
        SEP28,
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        SAT10,
    ]
    assert axis.index(dt.date(2026, 10, 3)) == axis.index(dt.date(2026, 10, 8)) == 3
    assert axis.date(-1) == dt.date(2026, 9, 24)  # Thursday: Friday 25 Sep is off
    assert axis.worked("CN", 0, 6) == 6


def test_axis_of_two_calendars_is_their_union_and_says_who_works() -> None:
    axis = DayAxis(["", "CN"], SEP28, SEP28, dt.date(2026, 12, 31))
    # Monday 28 Sep .. Saturday 10 Oct: ten weekdays plus the 调休 Saturday
    assert axis.index(dt.date(2026, 10, 11)) == 11
    assert axis.date(10) == SAT10
    assert axis.works("CN", 0, 11).astype(int).tolist() == [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1]
    assert axis.works("", 0, 11).astype(int).tolist() == [1] * 10 + [0]
    assert (axis.worked("CN", 0, 11), axis.worked("", 0, 11)) == (6, 10)


def test_axis_continues_monday_to_friday_past_its_range() -> None:
    last = dt.date(2026, 10, 30)  # a Friday
    axis = DayAxis(["CN"], SEP28, SEP28, last)
    end = axis.index(last + dt.timedelta(days=1))
    assert axis.date(end) == dt.date(2026, 11, 2)
    assert axis.date(end + 5) == dt.date(2026, 11, 9)
    assert axis.index(dt.date(2026, 11, 9)) == end + 5
    assert axis.works("CN", end - 1, end + 3).all()
    assert axis.worked("CN", end - 2, end + 3) == 5
    with pytest.raises(IndexError, match="before the axis start"):
        axis.date(-10)


def test_years_the_holiday_source_does_not_know_are_reported() -> None:
    assert assumed_years(["CN"], dt.date(2026, 12, 1), dt.date(2027, 2, 1)) == (2027,)
    assert assumed_years([""], dt.date(2026, 12, 1), dt.date(2027, 2, 1)) == ()
    assert assumed_years(["CN"], dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == ()


@pytest.mark.parametrize("module", ["pmo.resources.calendars", "pmo.resources.services"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_days_entered_by_hand_win_and_a_marked_year_is_known() -> None:
    off = np.array(["2027-02-11", "2027-02-12"], dtype="datetime64[D]")
    on = np.array(["2027-02-06"], dtype="datetime64[D]")  # a Saturday worked
    overrides = {"CN": (off, on)}
    week = working("CN", dt.date(2027, 2, 6), dt.date(2027, 2, 12), overrides)
    assert week.astype(int).tolist() == [1, 0, 1, 1, 1, 0, 0]
    assert working("", dt.date(2027, 2, 6), dt.date(2027, 2, 12), overrides).sum() == 5
    span = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert assumed_years(["CN"], *span) == (2027,)
    assert assumed_years(["CN"], *span, overrides) == (2027,)  # days alone: still assumed
    marked = Overrides(overrides)
    marked.complete = frozenset({("CN", 2027)})
    assert assumed_years(["CN"], *span, marked) == ()
    axis = DayAxis(["CN"], dt.date(2027, 2, 1), dt.date(2027, 2, 5), dt.date(2027, 3, 1), overrides)
    assert [axis.date(i).day for i in range(5)] == [5, 6, 8, 9, 10]

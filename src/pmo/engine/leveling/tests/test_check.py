"""The validator finds every kind of broken constraint."""

from __future__ import annotations

import pytest

from pmo.engine.leveling import (
    Activity,
    CapacityWindow,
    InvalidScheduleError,
    Precedence,
    Problem,
    Resource,
    check_schedule,
    violations,
)


def _problem() -> Problem:
    return Problem(
        resources=(
            Resource(name="r", capacity=2, windows=(CapacityWindow(start=3, end=4, capacity=0),)),
        ),
        activities=(
            Activity(name="a", duration=2, demands=(1,), release=1),
            Activity(name="b", duration=1, demands=(2,), deadline=6),
            Activity(name="c", duration=1, demands=(1,), pinned_start=0),
        ),
        precedences=(Precedence(pred=0, succ=1, kind="SS", lag=1),),
    )


def test_valid_schedule_passes() -> None:
    check_schedule(_problem(), [1, 4, 0])


def test_each_violation_is_reported() -> None:
    found = violations(_problem(), [0, 6, 1])
    assert found == [
        "activity a: start 0 before release 1",
        "activity b: finish 7 after deadline 6",
        "activity c: start 1 but pinned at 0",
    ]


def test_capacity_window_is_respected() -> None:
    # b needs 2 in period 3 where capacity is 0
    with pytest.raises(InvalidScheduleError) as info:
        check_schedule(_problem(), [1, 3, 0])
    assert info.value.violations == ["resource r over capacity in period 3: 2 > 0"]


def test_lag_violation() -> None:
    assert violations(_problem(), [2, 2, 0]) == [
        "precedence a -> b (SS lag 1): start 2 < 3",
        "resource r over capacity in period 2: 3 > 2",
        "resource r over capacity in period 3: 1 > 0",
    ]

"""The problem model validates itself on construction."""

from __future__ import annotations

import pytest

from pmo.engine.errors import CycleError, InvalidInputError
from pmo.engine.leveling import Activity, CapacityWindow, Precedence, Problem, Project, Resource


def _acts(n: int) -> tuple[Activity, ...]:
    return tuple(Activity(name=f"a{j}", duration=1, demands=(1,)) for j in range(n))


def test_cycle_is_named() -> None:
    # given a 3-cycle behind an acyclic prefix
    edges = tuple(Precedence(pred=a, succ=b) for a, b in [(0, 1), (1, 2), (2, 3), (3, 1)])
    # when / then
    with pytest.raises(CycleError) as info:
        Problem(resources=(Resource(name="r", capacity=1),), activities=_acts(4), precedences=edges)
    assert sorted(info.value.cycle) == [1, 2, 3]


def test_self_loop_is_a_cycle() -> None:
    with pytest.raises(CycleError):
        Precedence(pred=2, succ=2)


def test_demands_must_match_resources() -> None:
    with pytest.raises(InvalidInputError, match=r"activities\[0\].demands"):
        Problem(
            resources=(Resource(name="r", capacity=1),),
            activities=(Activity(name="a", duration=1, demands=(1, 2)),),
        )


def test_precedence_index_out_of_range() -> None:
    with pytest.raises(InvalidInputError, match=r"precedences\[0\]"):
        Problem(
            resources=(Resource(name="r", capacity=1),),
            activities=_acts(2),
            precedences=(Precedence(pred=0, succ=5),),
        )


def test_pinned_project_needs_pinned_starts() -> None:
    with pytest.raises(InvalidInputError, match="pinned_start"):
        Problem(
            resources=(Resource(name="r", capacity=1),),
            activities=_acts(1),
            projects=(Project(name="p", pinned=True),),
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"duration": -1, "demands": (1,)},
        {"duration": 1, "demands": (-1,)},
        {"duration": 3, "demands": (1,), "release": 2, "deadline": 4},
        {"duration": 1, "demands": (1,), "pinned_start": -2},
    ],
)
def test_bad_activity_fields(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        Activity(name="x", **kwargs)  # type: ignore[arg-type]


def test_overlapping_windows_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match="overlap"):
        Resource(
            name="r",
            capacity=2,
            windows=(
                CapacityWindow(start=0, end=5, capacity=1),
                CapacityWindow(start=4, end=6, capacity=0),
            ),
        )


def test_precedence_kinds_as_start_lags() -> None:
    # durations: pred 4, succ 2
    d = (4, 2)
    assert Precedence(pred=0, succ=1, lag=1, kind="FS").start_lag(d) == 5
    assert Precedence(pred=0, succ=1, lag=1, kind="SS").start_lag(d) == 1
    assert Precedence(pred=0, succ=1, lag=1, kind="FF").start_lag(d) == 3
    assert Precedence(pred=0, succ=1, lag=1, kind="SF").start_lag(d) == -1
    with pytest.raises(InvalidInputError):
        Precedence(pred=0, succ=1, kind="XX")

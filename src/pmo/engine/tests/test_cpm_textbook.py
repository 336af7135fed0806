"""Hand-checked CPM examples (every expected number was worked out on paper)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from pmo.engine.calendars import CalendarAxis, standard_calendar
from pmo.engine.cpm import (
    FS,
    ConstraintType,
    Link,
    LinkType,
    Method,
    Network,
    Project,
    Task,
    cpm_arrays,
    schedule,
)
from pmo.engine.errors import CycleError, InvalidInputError


def _classic() -> Project:
    # A(3) -> B(4), C(2); B -> D(5); C -> E(1), F(2); D, E -> G(4); F, G -> H(3)
    names = "ABCDEFGH"
    durations = [3, 4, 2, 5, 1, 2, 4, 3]
    edges = ["AB", "AC", "BD", "CE", "CF", "DG", "EG", "FH", "GH"]
    return Project(
        tasks=tuple(Task(name=n, duration=d) for n, d in zip(names, durations, strict=True)),
        links=tuple(Link(pred=names.index(e[0]), succ=names.index(e[1])) for e in edges),
    )


def test_classic_network_dates_and_floats() -> None:
    # Given the classic eight-activity AON network, when it is scheduled
    s = schedule(_classic())
    rows = [
        (t.early_start, t.early_finish, t.late_start, t.late_finish, t.total_float, t.free_float)
        for t in s.tasks
    ]
    # then every date and float matches the hand calculation
    assert rows == [
        (0, 3, 0, 3, 0, 0),  # A
        (3, 7, 3, 7, 0, 0),  # B
        (3, 5, 9, 11, 6, 0),  # C
        (7, 12, 7, 12, 0, 0),  # D
        (5, 6, 11, 12, 6, 6),  # E
        (5, 7, 14, 16, 9, 9),  # F
        (12, 16, 12, 16, 0, 0),  # G
        (16, 19, 16, 19, 0, 0),  # H
    ]
    assert s.finish == 19
    assert s.critical == (0, 1, 3, 6, 7)
    assert s.negative_float == ()


def test_near_critical_threshold_selects_small_positive_float() -> None:
    s = schedule(_classic(), near_critical_threshold=6)
    assert s.near_critical == (2, 4)


def _two(link: Link, **b: object) -> tuple[tuple[int, ...], tuple[int, ...]]:
    p = Project(tasks=(Task(name="A", duration=5), Task(name="B", duration=3, **b)), links=(link,))  # type: ignore[arg-type]
    s = schedule(p)
    a, bb = s.tasks
    return (a.early_start, a.late_start, a.total_float), (
        bb.early_start,
        bb.early_finish,
        bb.total_float,
    )


@pytest.mark.parametrize(
    ("kind", "lag", "a", "b"),
    [
        (LinkType.FS, 2, (0, 0, 0), (7, 10, 0)),
        (LinkType.SS, 2, (0, 0, 0), (2, 5, 0)),
        (LinkType.FF, 2, (0, 0, 0), (4, 7, 0)),
        (LinkType.SF, 2, (0, 0, 0), (0, 3, 2)),  # B may not start before the project
        (LinkType.SF, 6, (0, 0, 0), (3, 6, 0)),
        (LinkType.FS, -2, (0, 0, 0), (3, 6, 0)),  # a lead
        (LinkType.SS, -2, (0, 0, 0), (0, 3, 2)),
        (LinkType.FF, -4, (0, 0, 0), (0, 3, 2)),
    ],
)
def test_each_link_type_with_lag(
    kind: LinkType, lag: int, a: tuple[int, ...], b: tuple[int, ...]
) -> None:
    assert _two(Link(pred=0, succ=1, type=kind, lag=lag)) == (a, b)


def test_finish_no_later_than_that_cannot_be_met_gives_negative_float() -> None:
    # B (3) after A (5) cannot finish by 6: both are 2 units late
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=5),
                Task(name="B", duration=3, constraint=ConstraintType.FNLT, constraint_time=6),
            ),
            links=(Link(pred=0, succ=1),),
        )
    )
    assert [t.total_float for t in s.tasks] == [-2, -2]
    assert s.negative_float == (0, 1)
    assert s.critical == (0, 1)
    assert s.tasks[1].early_finish == 8  # the forward pass is not hidden by the deadline


def test_must_start_on_overrides_links_and_reports_the_conflict() -> None:
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=5),
                Task(name="B", duration=3, constraint=ConstraintType.MSO, constraint_time=3),
            ),
            links=(Link(pred=0, succ=1),),
        )
    )
    a, b = s.tasks
    assert (b.early_start, b.late_start, b.total_float) == (3, 3, 0)
    assert (a.late_start, a.total_float, a.free_float) == (-2, -2, -2)


@pytest.mark.parametrize(
    ("constraint", "time", "expected"),
    [
        (ConstraintType.SNET, 10, (10, 13, 10, 0)),
        (ConstraintType.FNET, 10, (7, 10, 7, 0)),
        (ConstraintType.SNLT, 6, (5, 8, 5, 0)),
        (ConstraintType.SNLT, 4, (5, 8, 4, -1)),
        (ConstraintType.MFO, 12, (9, 12, 9, 0)),
        (ConstraintType.ALAP, None, (5, 8, 5, 0)),
    ],
)
def test_constraints_on_the_successor(
    constraint: ConstraintType, time: int | None, expected: tuple[int, ...]
) -> None:
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=5),
                Task(name="B", duration=3, constraint=constraint, constraint_time=time),
            ),
            links=(Link(pred=0, succ=1),),
        )
    )
    b = s.tasks[1]
    assert (b.early_start, b.early_finish, b.late_start, b.total_float) == expected


def test_alap_task_is_scheduled_at_its_late_dates() -> None:
    # A (2) and B (5) are parallel; ALAP on A moves it to finish with B
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=2, constraint=ConstraintType.ALAP),
                Task(name="B", duration=5),
            )
        )
    )
    a = s.tasks[0]
    assert (a.start, a.finish, a.early_start, a.total_float) == (3, 5, 0, 3)


def test_summary_rolls_up_dates_and_duration_weighted_percent() -> None:
    # Phase (summary) = P1 (4, 50 %) -> P2 (6, 0 %); X (2) follows the phase
    s = schedule(
        Project(
            tasks=(
                Task(name="Phase"),
                Task(name="P1", duration=4, parent=0, percent_complete=50),
                Task(name="P2", duration=6, parent=0),
                Task(name="X", duration=2),
                Task(name="Y", duration=1),
            ),
            links=(Link(pred=1, succ=2), Link(pred=0, succ=3), Link(pred=4, succ=0, lag=1)),
        )
    )
    phase, p1, p2, x, _ = s.tasks
    assert (p1.early_start, p2.early_start, x.early_start) == (2, 6, 12)
    assert (phase.summary, phase.start, phase.finish, phase.total_float) == (True, 2, 12, 0)
    assert phase.percent_complete == 20.0
    assert 0 not in s.critical
    assert s.critical == (1, 2, 3, 4)


def test_nested_summaries_roll_up_through_levels() -> None:
    s = schedule(
        Project(
            tasks=(
                Task(name="Root"),
                Task(name="Sub", parent=0),
                Task(name="a", duration=2, parent=1, percent_complete=100),
                Task(name="b", duration=8, parent=0),
            ),
            links=(Link(pred=2, succ=3),),
        )
    )
    assert (s.tasks[0].start, s.tasks[0].finish) == (0, 10)
    assert (s.tasks[1].start, s.tasks[1].finish) == (0, 2)
    assert s.tasks[0].percent_complete == 20.0


def test_summary_constraints_bind_every_leaf() -> None:
    # Phase (SNET 5) holds a (2) and b (6); Wrap (FNLT 9) holds c (6), which gets 3 of float
    s = schedule(
        Project(
            tasks=(
                Task(name="Phase", constraint=ConstraintType.SNET, constraint_time=5),
                Task(name="a", duration=2, parent=0),
                Task(name="b", duration=6, parent=0),
                Task(name="Wrap", parent=None, constraint=ConstraintType.FNLT, constraint_time=9),
                Task(name="c", duration=6, parent=3),
            ),
        )
    )
    assert [t.early_start for t in s.tasks] == [5, 5, 5, 0, 0]
    assert (s.tasks[2].total_float, s.tasks[4].total_float) == (0, 3)
    with pytest.raises(InvalidInputError, match="only SNET or FNLT"):
        schedule(
            Project(
                tasks=(
                    Task(name="S", constraint=ConstraintType.MSO, constraint_time=1),
                    Task(duration=1, parent=0),
                )
            )
        )


def test_start_to_start_out_of_a_summary_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="cannot leave a summary"):
        schedule(
            Project(
                tasks=(Task(name="S"), Task(duration=1, parent=0), Task(duration=1)),
                links=(Link(pred=0, succ=2, type=LinkType.SS),),
            )
        )


def test_cycle_is_reported_with_its_tasks() -> None:
    p = Project(
        tasks=tuple(Task(name=c, duration=1) for c in "ABCD"),
        links=(
            Link(pred=0, succ=1),
            Link(pred=1, succ=2),
            Link(pred=2, succ=3),
            Link(pred=3, succ=1, type=LinkType.SS),
        ),
    )
    with pytest.raises(CycleError, match=r"the network has a cycle: 1 -> 2 -> 3 -> 1") as info:
        schedule(p)
    assert info.value.cycle == [1, 2, 3]


def test_self_link_is_a_cycle() -> None:
    with pytest.raises(CycleError) as info:
        schedule(Project(tasks=(Task(duration=1),), links=(Link(pred=0, succ=0),)))
    assert info.value.cycle == [0]


def test_actuals_and_status_date() -> None:
    # A done 0..6; B started at 6 with 5 left at status 10; C after A; D after B
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=8, actual_start=0, actual_finish=6),
                Task(name="B", duration=10, actual_start=6, remaining=5),
                Task(name="C", duration=2),
                Task(name="D", duration=1),
            ),
            links=(Link(pred=0, succ=2), Link(pred=1, succ=3)),
            status_date=10,
        )
    )
    a, b, c, d = s.tasks
    assert (a.start, a.finish, a.percent_complete, a.critical) == (0, 6, 100.0, False)
    assert (b.start, b.finish, b.total_float) == (6, 15, 0)
    assert b.percent_complete == pytest.approx(100 * 4 / 9)
    assert (c.early_start, c.early_finish, c.total_float) == (10, 12, 4)
    assert (d.early_start, s.finish) == (15, 16)


def test_in_progress_task_needs_a_status_date() -> None:
    with pytest.raises(InvalidInputError, match="status_date"):
        schedule(Project(tasks=(Task(duration=4, actual_start=0),)))


def test_project_deadline_before_the_early_finish_gives_negative_float() -> None:
    s = schedule(Project(tasks=(Task(duration=5),), finish=3))
    assert s.tasks[0].total_float == -2


@pytest.mark.parametrize("method", ["levels", "loop"])
def test_elapsed_lag_runs_through_the_weekend(method: Method) -> None:
    # A: Friday 2026-11-20 08:00-17:00; B follows after 2 elapsed days (Sunday 17:00),
    # so starts Monday 08:00, where a working lag of 2 days would start it Wednesday.
    axis = CalendarAxis(calendar=standard_calendar(), origin=datetime(2026, 11, 20, 8))
    tasks = (Task(name="A", duration=480), Task(name="B", duration=480))
    elapsed = schedule(
        Project(tasks=tasks, links=(Link(pred=0, succ=1, lag=2 * 1440, elapsed=True),)),
        axis=axis,
        method=method,
    )
    working = schedule(Project(tasks=tasks, links=(Link(pred=0, succ=1, lag=2 * 480),)))
    b = elapsed.tasks[1]
    assert axis.start_datetime(b.early_start) == datetime(2026, 11, 23, 8)
    assert axis.start_datetime(working.tasks[1].early_start) == datetime(2026, 11, 25, 8)
    assert [t.total_float for t in elapsed.tasks] == [0, 0]


@pytest.mark.parametrize("method", ["levels", "loop"])
def test_elapsed_lag_leaves_float_when_the_weekend_absorbs_it(method: Method) -> None:
    # A (4 h) Friday morning and C (2 days) in parallel; B needs A + 1 elapsed day.
    axis = CalendarAxis(calendar=standard_calendar(), origin=datetime(2026, 11, 20, 8))
    s = schedule(
        Project(
            tasks=(Task(duration=240), Task(duration=480), Task(duration=960)),
            links=(Link(pred=0, succ=1, lag=1440, elapsed=True),),
        ),
        axis=axis,
        method=method,
    )
    a, b, _ = s.tasks
    # A ends Fri 12:00, +24 h = Sat 12:00 -> B starts Mon 08:00 (offset 480)
    assert b.early_start == 480
    assert s.finish == 960
    # B is critical by the project finish; A may finish as late as Fri 17:00
    # (+24 h = Sat 17:00 -> still Monday 08:00): 4 h of float
    assert (b.total_float, a.total_float, a.free_float) == (0, 240, 240)


def test_elapsed_lags_need_an_axis() -> None:
    with pytest.raises(InvalidInputError, match="axis"):
        schedule(
            Project(
                tasks=(Task(duration=1), Task(duration=1)),
                links=(Link(pred=0, succ=1, lag=10, elapsed=True),),
            )
        )


def test_array_core_matches_the_rich_model() -> None:
    net = Network(
        duration=np.array([3, 4, 2]),
        pred=np.array([0, 0]),
        succ=np.array([1, 2]),
        link_type=np.array([FS, FS]),
        lag=np.array([0, 1]),
    )
    r = cpm_arrays(net)
    assert r.early_start.tolist() == [0, 3, 4]
    assert r.total_float.tolist() == [0, 0, 1]
    assert r.free_float.tolist() == [0, 0, 1]


def test_invalid_inputs_name_the_field() -> None:
    with pytest.raises(InvalidInputError, match="duration"):
        Task(name="x", duration=-1)
    with pytest.raises(InvalidInputError, match="out of range"):
        Project(tasks=(Task(duration=1),), links=(Link(pred=0, succ=3),))
    with pytest.raises(InvalidInputError, match="link_type"):
        one = np.array([0])
        Network(duration=np.array([1, 1]), pred=one, succ=one + 1, link_type=one + 7, lag=one)


def test_empty_project_and_network() -> None:
    s = schedule(Project(tasks=()))
    assert (s.tasks, s.finish, s.critical) == ((), 0, ())
    empty = np.zeros(0, dtype=np.int64)
    r = cpm_arrays(Network(duration=empty, pred=empty, succ=empty, link_type=empty, lag=empty))
    assert (r.early_start.size, r.project_finish) == (0, 0)


def test_bound_arrays_of_the_wrong_size_are_refused() -> None:
    net = Network(
        duration=np.array([1, 2]),
        pred=np.array([0]),
        succ=np.array([1]),
        link_type=np.array([FS]),
        lag=np.array([0]),
    )
    with pytest.raises(InvalidInputError, match="start_floor"):
        cpm_arrays(net, start_floor=np.array([1, 2, 3]))
    with pytest.raises(InvalidInputError, match="finish_cap"):
        cpm_arrays(net, finish_cap=np.array([1]))

"""ALAP tasks as Microsoft Project places them: late within their free slack, successors kept."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.calendars import CalendarAxis, standard_calendar
from pmo.engine.cpm import ConstraintType, Link, LinkType, Project, Schedule, Task, schedule

ALAP = ConstraintType.ALAP


def _dates(s: Schedule, i: int) -> tuple[int, int, int, int]:
    t = s.tasks[i]
    return (t.start, t.finish, t.total_float, t.free_float)


def test_alap_before_an_asap_successor_does_not_move() -> None:
    # A (ALAP 2) -> B (3); C (10) in parallel. A has 5 of total float but none free:
    # moving it would push B, so it stays (Microsoft Project: ALAP uses free slack).
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=2, constraint=ALAP),
                Task(name="B", duration=3),
                Task(name="C", duration=10),
            ),
            links=(Link(pred=0, succ=1),),
        )
    )
    assert _dates(s, 0) == (0, 2, 5, 0)
    assert _dates(s, 1) == (2, 5, 5, 5)
    assert s.finish == 10


def test_a_chain_of_alap_tasks_moves_to_the_project_finish() -> None:
    # A (ALAP 2) -> B (ALAP 3); C (10): B finishes with the project, A right before it
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=2, constraint=ALAP),
                Task(name="B", duration=3, constraint=ALAP),
                Task(name="C", duration=10),
            ),
            links=(Link(pred=0, succ=1),),
        )
    )
    assert _dates(s, 0) == (5, 7, 5, 0)
    assert _dates(s, 1) == (7, 10, 5, 0)
    assert (s.tasks[0].early_start, s.tasks[0].late_start) == (0, 5)


def test_alap_uses_its_free_float_and_its_predecessor_gains_it() -> None:
    # X (2) -> A (ALAP 2) -> B (1); Y (6) -> B. B starts at 6, so A moves to 4..6;
    # X may now slip 2 without moving A.
    s = schedule(
        Project(
            tasks=(
                Task(name="X", duration=2),
                Task(name="A", duration=2, constraint=ALAP),
                Task(name="B", duration=1),
                Task(name="Y", duration=6),
            ),
            links=(Link(pred=0, succ=1), Link(pred=1, succ=2), Link(pred=3, succ=2)),
        )
    )
    assert _dates(s, 1) == (4, 6, 2, 0)
    assert _dates(s, 0) == (0, 2, 2, 2)
    assert _dates(s, 2) == (6, 7, 0, 0)


def test_alap_with_start_to_start_and_finish_to_finish_links() -> None:
    # A (ALAP 4) SS+1 -> B (2); C (ALAP 3) FF+2 -> D (5); E (10) sets the finish.
    s = schedule(
        Project(
            tasks=(
                Task(name="A", duration=4, constraint=ALAP),
                Task(name="B", duration=2),
                Task(name="C", duration=3, constraint=ALAP),
                Task(name="D", duration=5),
                Task(name="E", duration=10),
            ),
            links=(
                Link(pred=0, succ=1, type=LinkType.SS, lag=1),
                Link(pred=2, succ=3, type=LinkType.FF, lag=2),
            ),
        )
    )
    # B starts at 1 only because of A: A stays at 0
    assert _dates(s, 0)[:2] == (0, 4)
    # D: ES 0, EF 5 (C's early finish 3 + 2 = 5 does not drive it further); C may
    # finish as late as 5 - 2 = 3, its early finish: it stays
    assert _dates(s, 2)[:2] == (0, 3)
    assert _dates(s, 3)[:2] == (0, 5)


def test_summary_rolls_up_the_alap_dates() -> None:
    # Phase = {A (ALAP 2), P (5)}; Phase -> Z (1). A moves to finish with P.
    s = schedule(
        Project(
            tasks=(
                Task(name="Phase"),
                Task(name="A", duration=2, parent=0, constraint=ALAP),
                Task(name="P", duration=5, parent=0),
                Task(name="Z", duration=1),
            ),
            links=(Link(pred=0, succ=3),),
        )
    )
    assert _dates(s, 1)[:2] == (3, 5)
    assert (s.tasks[0].start, s.tasks[0].finish) == (0, 5)
    assert (s.tasks[3].start, s.finish) == (5, 6)


def test_an_alap_task_never_starts_before_its_early_start() -> None:
    # a deadline before the early finish: negative float, the task stays at its ES
    s = schedule(Project(tasks=(Task(name="A", duration=5, constraint=ALAP),), finish=3))
    assert _dates(s, 0)[:3] == (0, 5, -2)


def test_alap_with_an_elapsed_lag_stays_clear_of_its_successor() -> None:
    # A (ALAP 4 h) on Friday 2026-11-20, B (8 h) after A + 1 elapsed day, C (16 h).
    # B starts Monday 08:00 (offset 480). A may finish as late as Friday 17:00
    # (+24 h = Saturday 17:00 -> Monday 08:00): it runs 13:00-17:00 (offset 240).
    axis = CalendarAxis(calendar=standard_calendar(), origin=datetime(2026, 11, 20, 8))
    s = schedule(
        Project(
            tasks=(
                Task(duration=240, constraint=ALAP),
                Task(duration=480),
                Task(duration=960),
            ),
            links=(Link(pred=0, succ=1, lag=1440, elapsed=True),),
        ),
        axis=axis,
    )
    assert _dates(s, 0) == (240, 480, 240, 0)
    assert s.tasks[1].start == 480


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(min_value=1, max_value=10))
    tasks = tuple(
        Task(
            duration=draw(st.integers(0, 9)),
            constraint=ALAP if draw(st.booleans()) else ConstraintType.ASAP,
        )
        for _ in range(n)
    )
    order = draw(st.permutations(range(n)))
    links = [
        Link(
            pred=order[a],
            succ=order[b],
            type=draw(st.sampled_from(list(LinkType))),
            lag=draw(st.integers(-3, 3)),
        )
        for a in range(n)
        for b in range(a + 1, n)
        if draw(st.integers(0, 2)) == 0
    ]
    return Project(tasks=tasks, links=tuple(links))


@settings(max_examples=300, deadline=None)
@given(projects())
def test_scheduled_dates_keep_every_link_and_alap_stays_between_early_and_late(
    project: Project,
) -> None:
    s = schedule(project)
    asap = schedule(
        Project(tasks=tuple(Task(duration=t.duration) for t in project.tasks), links=project.links)
    )
    for t, plain in zip(s.tasks, asap.tasks, strict=True):
        assert t.early_start <= t.start <= t.late_start
        assert t.free_float >= 0
        if project.tasks[t.index].constraint is ConstraintType.ASAP:
            assert t.start == plain.start  # ALAP never pushes anything
    d = [t.duration for t in project.tasks]
    for link in project.links:
        p, q = s.tasks[link.pred], s.tasks[link.succ]
        a = p.finish if link.type in (LinkType.FS, LinkType.FF) else p.start
        b = q.finish if link.type in (LinkType.FF, LinkType.SF) else q.start
        assert b >= a + link.lag, (link, d)
    assert s.finish == asap.finish

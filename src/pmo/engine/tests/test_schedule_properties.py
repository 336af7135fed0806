"""Properties of the rich model: WBS roll-up, status date, critical flags."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.cpm import Link, LinkType, Project, Task, schedule

TYPES = list(LinkType)


@st.composite
def projects(draw: st.DrawFn) -> Project:
    n = draw(st.integers(min_value=1, max_value=14))
    # parent index below the child's keeps the WBS a tree
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, n)]
    summary = {p for p in parents if p is not None}
    leaves = [i for i in range(n) if i not in summary]
    status = draw(st.one_of(st.none(), st.integers(0, 20)))
    tasks = []
    for i in range(n):
        d = draw(st.integers(0, 9))
        done = status is not None and i in leaves and draw(st.booleans())
        if done:
            assert status is not None
            start = draw(st.integers(0, status))
            finish = draw(st.integers(start, status))
            tasks.append(
                Task(duration=d, parent=parents[i], actual_start=start, actual_finish=finish)
            )
        else:
            tasks.append(Task(duration=d, parent=parents[i]))
    order = draw(st.permutations(leaves))
    links = []
    for a in range(len(order)):
        for b in range(a + 1, len(order)):
            if draw(st.integers(0, 3)) == 0:
                links.append(
                    Link(
                        pred=order[a],
                        succ=order[b],
                        type=draw(st.sampled_from(TYPES)),
                        lag=draw(st.integers(-3, 3)),
                    )
                )
    return Project(tasks=tuple(tasks), links=tuple(links), status_date=status)


def _leaves_below(project: Project, k: int) -> list[int]:
    out = []
    for i, t in enumerate(project.tasks):
        node = t.parent
        while node is not None:
            if node == k:
                out.append(i)
                break
            node = project.tasks[node].parent
    return [i for i in out if not any(t.parent == i for t in project.tasks)]


@settings(max_examples=200, deadline=None)
@given(projects())
def test_summaries_span_their_leaves(project: Project) -> None:
    s = schedule(project)
    for t in s.tasks:
        if not t.summary:
            continue
        below = [s.tasks[i] for i in _leaves_below(project, t.index)]
        assert t.start == min(x.start for x in below)
        assert t.finish == max(x.finish for x in below)
        assert 0.0 <= t.percent_complete <= 100.0


@settings(max_examples=200, deadline=None)
@given(projects())
def test_status_date_and_critical_flags(project: Project) -> None:
    s = schedule(project)
    for t, task in zip(s.tasks, project.tasks, strict=True):
        if t.summary:
            continue
        if task.actual_start is None and project.status_date is not None:
            assert t.early_start >= project.status_date
        if task.actual_finish is not None:
            assert (t.start, t.finish) == (task.actual_start, task.actual_finish)
            assert not t.critical
        assert t.critical == (task.actual_finish is None and t.total_float <= 0)
        assert t.early_start >= 0 or task.actual_start is not None
    assert s.finish == max((t.early_finish for t in s.tasks if not t.summary), default=0)

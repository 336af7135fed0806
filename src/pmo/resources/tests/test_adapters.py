"""The leveling adapter: working-day axis, capacity profile, chains, pins, not levelable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pmo.resources.adapters import (
    AllocationRow,
    ChangeRow,
    ProjectRow,
    ResourceRow,
    build_problem,
    compact,
    moves,
    overload,
    priority_weight,
    solve_problem,
    violations,
)

MON = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def alloc(
    pk: int, project: int, first: dt.date, last: dt.date, fte: str, res: int = 1
) -> AllocationRow:
    return AllocationRow(
        pk=pk, resource_id=res, project_id=project, first=first, last=last, fte=Decimal(fte)
    )


def test_capacity_profile_follows_changes_and_availability() -> None:
    # given 2 FTE, a week at 0.5 FTE from the second Monday, leaving after three weeks
    resources = [ResourceRow(pk=1, fte=Decimal("2"), available_until=day(18))]
    changes = [ChangeRow(resource_id=1, first=day(7), last=day(11), fte=Decimal("0.5"))]
    data = build_problem(
        resources=resources,
        changes=changes,
        allocations=[alloc(1, 10, MON, day(4), "1")],
        projects=[ProjectRow(pk=10, code="P")],
        today=MON,
    )
    # then capacity is 200 hundredths for week 1, 50 for week 2, 200 for week 3, then 0
    profile = data.capacity[0].tolist()
    assert profile[:15] == [200] * 5 + [50] * 5 + [200] * 5
    assert set(profile[15:]) == {0}
    resource = data.problem.resources[0]
    assert resource.capacity == 0
    assert [(w.start, w.end, w.capacity) for w in resource.windows] == [
        (0, 5, 200),
        (5, 10, 50),
        (10, 15, 200),
    ]


def test_working_days_and_start_to_start_chain_with_original_offsets() -> None:
    # given a project with three allocations: Mon-Fri, the next Wed-Tue (over a weekend), and
    # one starting on a Saturday (counts from Monday)
    rows = [
        alloc(1, 10, MON, day(4), "1"),
        alloc(2, 10, day(9), day(15), "0.25"),
        alloc(3, 10, day(19), day(21), "1"),
    ]
    data = build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("1"))],
        changes=[],
        allocations=rows,
        projects=[ProjectRow(pk=10, code="P", priority=1)],
        today=MON,
    )
    acts = data.problem.activities
    assert [(a.release, a.duration, a.demands) for a in acts] == [
        (0, 5, (100,)),
        (7, 5, (25,)),
        (15, 1, (100,)),
    ]
    assert [(p.pred, p.succ, p.kind, p.lag) for p in data.problem.precedences] == [
        (0, 1, "SS", 7),
        (1, 2, "SS", 8),
    ]
    assert data.problem.projects[0].weight == priority_weight(1) == 16
    assert priority_weight(5) == 1


def test_pinned_project_is_fixed_and_work_under_way_counts_from_today() -> None:
    rows = [
        alloc(1, 10, MON, day(4), "1"),  # pinned project
        alloc(2, 20, day(-7), day(4), "1"),  # under way on "today"
        alloc(3, 20, day(7), day(11), "1"),
        alloc(4, 20, day(-14), day(-10), "1"),  # over: left out
    ]
    data = build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("2"))],
        changes=[],
        allocations=rows,
        projects=[ProjectRow(pk=10, code="A", pinned=True), ProjectRow(pk=20, code="B")],
        today=MON,
    )
    assert [r.pk for r in data.rows] == [1, 2, 3]
    assert (data.fixed, data.split) == ([True, False, False], [False, True, False])
    acts = data.problem.activities
    assert [(a.release, a.duration, a.pinned_start) for a in acts] == [
        (0, 5, 0),
        (0, 5, None),
        (5, 5, None),
    ]
    assert data.problem.projects[0].pinned
    assert [(p.pred, p.succ, p.lag) for p in data.problem.precedences] == [(1, 2, 5)]
    # moving the work under way by a week keeps its past part: the row is split
    [move] = moves(data, (0, 5, 10))[:1]
    assert (move.pk, move.kept_last, move.new_first, move.new_last) == (2, day(-3), day(7), day(11))


def test_an_allocation_above_capacity_everywhere_is_not_levelable() -> None:
    # given 1 FTE and an allocation of 1.5 FTE, and a second one that fits after it
    rows = [alloc(1, 10, MON, day(4), "1.5"), alloc(2, 20, MON, day(4), "1")]
    data = build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("1"))],
        changes=[],
        allocations=rows,
        projects=[ProjectRow(pk=10, code="A"), ProjectRow(pk=20, code="B")],
        today=MON,
    )
    assert [a.pk for a in data.not_levelable] == [1]
    assert data.fixed == [True, False]
    # the engine's capacity is raised to the fixed demand where it exceeds capacity
    assert data.problem.resources[0].windows[0].capacity == 150
    assert overload(data, data.starts) == 7.5  # 0.5 + 1 FTE over 5 days


def test_moves_keep_working_days() -> None:
    data = build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("1"))],
        changes=[],
        allocations=[alloc(1, 10, MON, day(6), "1")],  # Mon..Sun: 5 working days
        projects=[ProjectRow(pk=10, code="A")],
        today=MON,
    )
    [move] = moves(data, (3,))
    assert (move.new_first, move.new_last, move.days) == (day(3), day(9), 3)


def test_compact_pulls_moves_back_as_far_as_capacity_and_chain_allow() -> None:
    # given 1 FTE, A (week 1) and B (week 1, then a second row a week later, SS lag 5)
    rows = [
        alloc(1, 10, MON, day(4), "1"),
        alloc(2, 20, MON, day(4), "1"),
        alloc(3, 20, day(7), day(11), "0.5"),
    ]
    data = build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("1"))],
        changes=[],
        allocations=rows,
        projects=[ProjectRow(pk=10, code="A"), ProjectRow(pk=20, code="B")],
        today=MON,
    )
    # when a solver pushed B's rows far out (valid, but more than needed)
    # then B's first row comes back right after A and its second keeps the 5-day lag
    assert compact(data, (0, 20, 40)) == [0, 5, 10]
    # and nothing moves earlier than its release or into an overload
    assert compact(data, (0, 5, 10)) == [0, 5, 10]


SEP28 = dt.date(2026, 9, 28)  # Monday before Golden Week (1-7 October 2026 off in China)


def test_china_calendar_axis_skips_holidays_and_moves_onto_adjusted_saturday() -> None:
    # given a Shanghai pool (China calendar, 1 FTE) and a London pool (Monday to Friday)
    # A: Shanghai 28 Sep..9 Oct (5 working days over Golden Week); B: Shanghai 8-9 Oct (clash)
    resources = [
        ResourceRow(pk=1, fte=Decimal("1"), calendar="CN"),
        ResourceRow(pk=2, fte=Decimal("1"), calendar=""),
    ]
    rows = [
        alloc(1, 10, SEP28, dt.date(2026, 10, 9), "1"),
        alloc(2, 20, dt.date(2026, 10, 8), dt.date(2026, 10, 9), "1"),
        alloc(3, 30, dt.date(2026, 10, 1), dt.date(2026, 10, 7), "1", res=2),
    ]
    data = build_problem(
        resources=resources,
        changes=[],
        allocations=rows,
        projects=[
            ProjectRow(pk=10, code="A"),
            ProjectRow(pk=20, code="B"),
            ProjectRow(pk=30, code="C"),
        ],
        today=SEP28,
    )
    # the axis is the union: weekdays 28 Sep..9 Oct are days 0..9, Saturday 10 Oct is day 10
    assert [(a.release, a.duration) for a in data.problem.activities] == [(0, 10), (8, 2), (3, 5)]
    assert data.works[0, :11].astype(int).tolist() == [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1]
    assert data.works[1, :11].astype(int).tolist() == [1] * 10 + [0]
    # on Shanghai's days off the heat map counts nothing, but the engine keeps the capacity,
    # so that no work can be hidden in a holiday
    assert data.capacity[0, 3:8].tolist() == [0] * 5
    assert data.engine_capacity[0, 3:8].tolist() == [100] * 5
    assert overload(data, data.starts) == 2.0  # 8 and 9 Oct, 1 FTE too many
    schedule = solve_problem(data, backend="cpsat", time_limit=5)
    starts = compact(data, schedule.starts)
    assert violations(data.problem, starts) == []
    assert overload(data, starts) == 0
    # B moves to the 调休 Saturday and the next Monday: still two days of Shanghai's work
    [move] = moves(data, starts)
    assert (move.pk, move.new_first, move.new_last) == (
        2,
        dt.date(2026, 10, 10),
        dt.date(2026, 10, 12),
    )


def test_one_calendar_in_use_is_the_axis() -> None:
    data = build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("1"), calendar="CN")],
        changes=[],
        allocations=[
            alloc(1, 10, SEP28, dt.date(2026, 10, 9), "1"),
            alloc(2, 10, dt.date(2026, 10, 3), dt.date(2026, 10, 6), "1"),
        ],
        projects=[ProjectRow(pk=10, code="A")],
        today=SEP28,
    )
    # 28-30 Sep and 8-9 Oct; the second row lies inside the holiday: no demand, left out
    assert [(a.release, a.duration) for a in data.problem.activities] == [(0, 5)]
    assert data.works.all()
    assert data.problem.resources[0].windows == ()


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # project
            st.integers(-5, 20),  # first (calendar days from MON)
            st.integers(0, 12),  # length in calendar days
            st.sampled_from(["0.5", "1", "1.5", "2.5"]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
    st.sampled_from([MON, SEP28 - dt.timedelta(days=7)]),  # plain weeks, or Golden Week
)
# found by hypothesis: a 2.5-FTE row on the 2-FTE China pool "fitted" inside Golden Week when
# the engine's capacity on days off was unbounded (its work would have vanished)
@example(
    rows=[
        (0, 0, 0, "0.5"),
        (0, 0, 3, "0.5"),
        (0, 0, 0, "0.5"),
        (1, 0, 3, "0.5"),
        (0, 5, 6, "2.5"),
        (0, 0, 0, "1.5"),
    ],
    pin=False,
    today=SEP28 - dt.timedelta(days=7),
)
def test_leveled_and_compacted_layers_keep_every_constraint(
    rows: list[Any], pin: bool, today: dt.date
) -> None:
    def on(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    # two resources on different calendars (China, Monday to Friday)
    allocations = [
        alloc(k + 1, p, on(f), on(f + n), fte, res=1 + k % 2)
        for k, (p, f, n, fte) in enumerate(rows)
    ]
    data = build_problem(
        resources=[
            ResourceRow(pk=1, fte=Decimal("2"), calendar="CN"),
            ResourceRow(pk=2, fte=Decimal("2"), calendar=""),
        ],
        changes=[ChangeRow(resource_id=1, first=on(7), last=on(11), fte=Decimal("1"))],
        allocations=allocations,
        projects=[
            ProjectRow(pk=0, code="A", pinned=pin),
            ProjectRow(pk=1, code="B"),
            ProjectRow(pk=2, code="C", priority=1),
        ],
        today=today,
    )
    if not data.rows:
        return
    schedule = solve_problem(data, backend="heuristic", time_limit=1)
    starts = compact(data, schedule.starts)
    assert violations(data.problem, starts) == []
    assert all(s >= old for s, old in zip(starts, data.starts, strict=True))
    # what is left above the heat map's capacity is the fixed rows' own overload
    fixed_only = float(((data.engine_capacity - data.capacity) * data.works).sum()) / 100
    assert overload(data, starts) <= fixed_only + 1e-9

"""Fitting a solved schedule to each resource's calendar (:func:`adapters.place`): a moved row
keeps its working days, the chain and the heat map's capacity (numbers audit of issue #6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import given, settings
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
    place,
    solve_problem,
)
from pmo.resources.calendars import working

SEP21 = dt.date(2026, 9, 21)  # the Monday a week before Golden Week (1-7 October 2026)


def alloc(pk: int, project: int, first: dt.date, last: dt.date, fte: str, res: int) -> Any:
    return AllocationRow(
        pk=pk, resource_id=res, project_id=project, first=first, last=last, fte=Decimal(fte)
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # project
            st.integers(-3, 20),  # first (calendar days from the Monday)
            st.integers(0, 12),  # length in calendar days
            st.sampled_from(["0.5", "1", "1.5"]),
            st.integers(0, 1),  # resource: China or Monday to Friday
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_placed_rows_keep_their_working_days_chain_and_capacity(rows: list[Any], pin: bool) -> None:
    today = SEP21

    def on(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    allocations = [
        alloc(k + 1, p, on(f), on(f + n), fte, res=1 + r)
        for k, (p, f, n, fte, r) in enumerate(rows)
    ]
    calendar = {1: "CN", 2: ""}
    data = build_problem(
        resources=[
            ResourceRow(pk=1, fte=Decimal("2"), calendar="CN"),
            ResourceRow(pk=2, fte=Decimal("1.5"), calendar=""),
        ],
        changes=[ChangeRow(resource_id=2, first=on(14), last=on(18), fte=Decimal(0))],  # leave
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
    placed = place(data, compact(data, schedule.starts))
    # every moved row covers as many of its resource's working days as before (the leave
    # of the London resource is no working day: the heat map counts no demand there)
    for j, m in zip(range(len(data.rows)), data.rows, strict=True):
        r = data.resource_ids.index(m.resource_id)
        s, d = placed.starts[j], placed.durations[j]
        ends = int(np.sum(data.works[r, s : s + d])) if s + d <= data.works.shape[1] else None
        if ends is not None:
            assert ends == data.need[j]
        assert s >= data.starts[j]
    for mv in moves(data, placed):
        row = next(a for a in data.rows if a.pk == mv.pk)
        code = calendar[row.resource_id]
        first = max(mv.first, today)
        if row.resource_id == 1:  # no leave on the China pool: the calendar alone
            assert (
                working(code, mv.new_first, mv.new_last).sum()
                == working(code, first, mv.last).sum()
            )
        assert working(code, mv.new_first, mv.new_first).all()  # starts on its working day
    # the chain's start-to-start lags hold
    for e in data.problem.precedences:
        assert placed.starts[e.succ] - placed.starts[e.pred] >= e.lag
    # what is left above the heat map's capacity is the fixed rows' own overload
    fixed_only = float(((data.engine_capacity - data.capacity) * data.works).sum()) / 100
    assert placed.unplaced or overload(data, placed.starts, placed.durations) <= fixed_only + 1e-9

"""Slip-impact propagation: hand-checked cases and a brute-force oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.errors import CycleError, InvalidInputError
from pmo.engine.impact import build_network, driving_path, propagate


def test_delay_is_absorbed_by_slack_and_the_largest_push_wins() -> None:
    # given A -> B (slack 0) -> D (slack 3); A -> C (slack 1) -> D (slack 0)
    net = build_network(4, src=[0, 1, 0, 2], dst=[1, 3, 2, 3], slack=[0, 3, 1, 0])
    # when A slips 5 working days
    moved = propagate(net, {0: 5})
    # then B moves 5, C 4, D max(5-3, 4-0) = 4
    assert moved == {0: 5, 1: 5, 2: 4, 3: 4}


def test_a_slip_within_float_moves_nothing_downstream() -> None:
    net = build_network(3, src=[0, 1], dst=[1, 2], slack=[10, 0])
    assert propagate(net, {0: 10}) == {0: 10}


def test_cycles_and_bad_input_are_refused() -> None:
    with pytest.raises(CycleError) as caught:
        build_network(3, src=[0, 1, 2], dst=[1, 2, 0], slack=[0, 0, 0])
    assert sorted(caught.value.cycle) == [0, 1, 2]
    with pytest.raises(CycleError):
        build_network(2, src=[1], dst=[1], slack=[0])
    with pytest.raises(InvalidInputError):
        build_network(2, src=[0], dst=[5], slack=[0])
    net = build_network(2, src=[0], dst=[1], slack=[0])
    with pytest.raises(InvalidInputError):
        propagate(net, {7: 1})
    with pytest.raises(InvalidInputError):
        propagate(net, {0: -1})


def test_driving_path_follows_binding_links() -> None:
    # 0 -> 2 (slack 0), 1 -> 2 (slack 4), 2 -> 3 (slack 0)
    net = build_network(4, src=[0, 1, 2], dst=[2, 2, 3], slack=[0, 4, 0])
    assert driving_path(net, 3) == [0, 2, 3]
    assert driving_path(net, 1) == [1]


def _oracle(n: int, edges: list[tuple[int, int, int]], delays: dict[int, int]) -> dict[int, int]:
    moved = dict(delays)
    changed = True
    while changed:  # Bellman-Ford style relaxation until a fixed point
        changed = False
        for u, v, s in edges:
            push = moved.get(u, 0) - max(s, 0)
            if push > 0 and push > moved.get(v, 0):
                moved[v] = push
                changed = True
    return {k: v for k, v in moved.items() if v > 0}


@st.composite
def _dags(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, int]], dict[int, int]]:
    n = draw(st.integers(1, 12))
    edges = []
    for _ in range(draw(st.integers(0, 30))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            edges.append((min(a, b), max(a, b), draw(st.integers(-2, 8))))
    delays = draw(st.dictionaries(st.integers(0, n - 1), st.integers(1, 10), max_size=3))
    return n, edges, delays


@settings(max_examples=200, deadline=None)
@given(_dags())
def test_propagation_matches_a_fixed_point_oracle(
    case: tuple[int, list[tuple[int, int, int]], dict[int, int]],
) -> None:
    n, edges, delays = case
    net = build_network(
        n, src=[e[0] for e in edges], dst=[e[1] for e in edges], slack=[e[2] for e in edges]
    )
    assert propagate(net, delays) == _oracle(n, edges, delays)

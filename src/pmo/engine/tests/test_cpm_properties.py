"""Property tests of the CPM passes against a naive reference on random DAGs."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.calendars import CalendarAxis, china_calendar
from pmo.engine.cpm import NO_CAP, NO_TIME, Method, Network, cpm_arrays, prepare
from pmo.engine.errors import CycleError
from pmo.engine.tests.naive import naive_cpm

_FROM_FINISH = np.array([True, False, True, False])
_TO_FINISH = np.array([False, False, True, True])


@st.composite
def dags(draw: st.DrawFn, constrained: bool = False) -> dict[str, object]:
    n = draw(st.integers(min_value=1, max_value=12))
    duration = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    # a random permutation as topological order, links only go forward in it
    perm = draw(st.permutations(range(n)))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n, unique=True
        )
    )
    links = []
    for i, j in pairs:
        if i == j:
            continue
        a, b = sorted((i, j))
        kind = draw(st.integers(0, 3))
        lag = draw(st.integers(-5, 5))
        links.append((perm[a], perm[b], kind, lag))
    out: dict[str, object] = {"duration": duration, "links": links}
    if constrained:
        out["floor"] = draw(st.lists(st.integers(0, 15), min_size=n, max_size=n))
        out["fixed"] = draw(
            st.lists(st.one_of(st.none(), st.integers(0, 20)), min_size=n, max_size=n)
        )
        out["cap"] = draw(
            st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=n, max_size=n)
        )
    return out


def _network(case: dict[str, object]) -> Network:
    links = case["links"]
    assert isinstance(links, list)
    return Network(
        duration=np.array(case["duration"], dtype=np.int64),
        pred=np.array([x[0] for x in links], dtype=np.int64),
        succ=np.array([x[1] for x in links], dtype=np.int64),
        link_type=np.array([x[2] for x in links], dtype=np.int64),
        lag=np.array([x[3] for x in links], dtype=np.int64),
    )


METHODS = st.sampled_from(["levels", "loop"])


@settings(max_examples=300, deadline=None)
@given(dags(), METHODS)
def test_unconstrained_passes_equal_the_naive_reference(
    case: dict[str, object], method: Method
) -> None:
    r = cpm_arrays(_network(case), method=method)
    ref = naive_cpm(case["duration"], case["links"])  # type: ignore[arg-type]
    assert r.early_start.tolist() == ref.es
    assert r.late_start.tolist() == ref.ls
    assert r.total_float.tolist() == ref.tf
    assert r.free_float.tolist() == ref.ff
    assert r.project_finish == ref.finish


@settings(max_examples=300, deadline=None)
@given(dags(constrained=True), METHODS)
def test_constrained_passes_equal_the_naive_reference(
    case: dict[str, object], method: Method
) -> None:
    fixed = [NO_TIME if f is None else f for f in case["fixed"]]
    cap = [NO_CAP if c is None else c for c in case["cap"]]
    r = cpm_arrays(
        _network(case),
        start_floor=np.array(case["floor"], dtype=np.int64),
        fixed_start=np.array(fixed, dtype=np.int64),
        finish_cap=np.array(cap, dtype=np.int64),
        method=method,
    )
    ref = naive_cpm(
        case["duration"],  # type: ignore[arg-type]
        case["links"],  # type: ignore[arg-type]
        floor=case["floor"],  # type: ignore[arg-type]
        fixed=case["fixed"],  # type: ignore[arg-type]
        cap=case["cap"],  # type: ignore[arg-type]
    )
    assert r.early_start.tolist() == ref.es
    assert r.late_start.tolist() == ref.ls
    assert r.free_float.tolist() == ref.ff


@settings(max_examples=300, deadline=None)
@given(dags())
def test_invariants_without_constraints(case: dict[str, object]) -> None:
    net = _network(case)
    r = cpm_arrays(net)
    d = net.duration
    es, ls = r.early_start, r.late_start
    # no task starts before its predecessors allow, nor before the project
    anchor = es[net.pred] + np.where(_FROM_FINISH[net.link_type], d[net.pred], 0) + net.lag
    reached = es[net.succ] + np.where(_TO_FINISH[net.link_type], d[net.succ], 0)
    assert np.all(reached >= anchor)
    assert np.all(es >= 0)
    # the late schedule also honours every link and the project finish
    l_anchor = ls[net.pred] + np.where(_FROM_FINISH[net.link_type], d[net.pred], 0) + net.lag
    l_reached = ls[net.succ] + np.where(_TO_FINISH[net.link_type], d[net.succ], 0)
    assert np.all(l_reached >= l_anchor)
    assert np.all(r.late_finish <= r.project_finish)
    assert np.all(es <= ls)
    assert np.all(r.total_float >= r.free_float)
    assert np.all(r.free_float >= 0)
    # some task is critical whenever there is one
    assert r.total_float.min() == 0


@settings(max_examples=100, deadline=None)
@given(dags())
def test_levels_are_a_topological_order(case: dict[str, object]) -> None:
    net = _network(case)
    level = prepare(net).level
    assert np.all(level[net.pred] < level[net.succ])


@settings(max_examples=100, deadline=None)
@given(dags(), st.integers(0, 5000), st.booleans())
def test_elapsed_lags_agree_between_methods_and_hold(
    case: dict[str, object], minutes: int, negative: bool
) -> None:
    # every link gets an elapsed lag on the China calendar (holidays, 调休)
    net0 = _network(case)
    lag = np.full(net0.n_links, -minutes if negative else minutes, dtype=np.int64)
    net = Network(
        duration=net0.duration * 60,
        pred=net0.pred,
        succ=net0.succ,
        link_type=net0.link_type,
        lag=lag,
        elapsed=np.ones(net0.n_links, dtype=np.bool_),
    )
    a = cpm_arrays(net, axis=_AXIS, method="levels")
    b = cpm_arrays(net, axis=_AXIS, method="loop")
    assert a.early_start.tolist() == b.early_start.tolist()
    assert a.late_start.tolist() == b.late_start.tolist()
    assert a.free_float.tolist() == b.free_float.tolist()
    d = net.duration
    ff = _FROM_FINISH[net.link_type]
    reached = a.early_start[net.succ] + np.where(_TO_FINISH[net.link_type], d[net.succ], 0)
    need = _AXIS.shift(a.early_start[net.pred] + np.where(ff, d[net.pred], 0), lag, ff)
    assert np.all(reached >= need)
    assert np.all(a.free_float >= 0)
    assert np.all(a.total_float >= a.free_float)


_AXIS = CalendarAxis(calendar=china_calendar(), origin=datetime(2026, 9, 28, 8), days_after=400)


def test_a_long_chain_uses_the_loop_and_is_exact() -> None:
    n = 20_000
    one = np.ones(n - 1, dtype=np.int64)
    net = Network(
        duration=np.full(n, 2, dtype=np.int64),
        pred=np.arange(n - 1),
        succ=np.arange(1, n),
        link_type=one * 0,
        lag=one,
    )
    r = cpm_arrays(net)
    assert r.early_start[-1] == 3 * (n - 1)
    assert r.total_float.max() == 0


def _deep(n: int, seed: int) -> Network:
    # each task links from 1-2 of the 5 tasks before it: thousands of thin levels
    rng = np.random.default_rng(seed)
    succ = np.repeat(np.arange(1, n), 2)
    pred = np.maximum(succ - rng.integers(1, 6, size=succ.size), 0)
    pair = np.unique(pred * n + succ)
    m = pair.size
    return Network(
        duration=rng.integers(0, 9, size=n),
        pred=pair // n,
        succ=pair % n,
        link_type=rng.integers(0, 4, size=m),
        lag=rng.integers(-3, 4, size=m),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_deep_network_levels_and_passes_match_the_reference(seed: int) -> None:
    net = _deep(3000, seed)
    level = prepare(net).level
    expected = [0] * net.n_tasks
    for p, s in sorted(zip(net.pred.tolist(), net.succ.tolist(), strict=True), key=lambda x: x[1]):
        expected[s] = max(expected[s], expected[p] + 1)
    assert level.tolist() == expected
    links = list(
        zip(
            net.pred.tolist(),
            net.succ.tolist(),
            net.link_type.tolist(),
            net.lag.tolist(),
            strict=True,
        )
    )
    ref = naive_cpm(net.duration.tolist(), links)
    for method in ("levels", "loop", "auto"):
        r = cpm_arrays(net, method=method)
        assert r.early_start.tolist() == ref.es
        assert r.late_start.tolist() == ref.ls
        assert r.free_float.tolist() == ref.ff


def test_cycle_deep_in_a_long_chain_is_found() -> None:
    n = 5000
    pred = np.r_[np.arange(n - 1), n - 1]
    succ = np.r_[np.arange(1, n), n - 4]
    zero = np.zeros(n, dtype=np.int64)
    net = Network(duration=zero + 1, pred=pred, succ=succ, link_type=zero, lag=zero)
    with pytest.raises(CycleError) as info:
        prepare(net)
    assert info.value.cycle == [n - 4, n - 3, n - 2, n - 1]

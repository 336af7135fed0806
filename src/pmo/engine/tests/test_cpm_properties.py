"""Property tests of the CPM passes against a naive reference on random DAGs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo.engine.cpm import NO_CAP, NO_TIME, Network, cpm_arrays, prepare
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


@settings(max_examples=300, deadline=None)
@given(dags())
def test_unconstrained_passes_equal_the_naive_reference(case: dict[str, object]) -> None:
    r = cpm_arrays(_network(case))
    ref = naive_cpm(case["duration"], case["links"])  # type: ignore[arg-type]
    assert r.early_start.tolist() == ref.es
    assert r.late_start.tolist() == ref.ls
    assert r.total_float.tolist() == ref.tf
    assert r.free_float.tolist() == ref.ff
    assert r.project_finish == ref.finish


@settings(max_examples=300, deadline=None)
@given(dags(constrained=True))
def test_constrained_passes_equal_the_naive_reference(case: dict[str, object]) -> None:
    fixed = [NO_TIME if f is None else f for f in case["fixed"]]  # type: ignore[attr-defined]
    cap = [NO_CAP if c is None else c for c in case["cap"]]  # type: ignore[attr-defined]
    r = cpm_arrays(
        _network(case),
        start_floor=np.array(case["floor"], dtype=np.int64),
        fixed_start=np.array(fixed, dtype=np.int64),
        finish_cap=np.array(cap, dtype=np.int64),
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

"""The ProGen-style generator: instances have the parameters they were asked for."""

from __future__ import annotations

import doctest
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from pmo.bench import progen
from pmo.bench.progen import Params, generate
from pmo.engine.leveling import read_sm, solve
from pmo.engine.leveling.network import Network


@pytest.mark.parametrize(
    "params",
    [
        Params(jobs=30, nc=1.5, rf=0.25, rs=0.2),
        Params(jobs=120, nc=1.8, rf=0.75, rs=0.1),
        Params(jobs=120, nc=2.1, rf=1.0, rs=0.5),
    ],
)
def test_instance_has_the_asked_parameters(params: Params) -> None:
    # when
    p, nc = generate(params, np.random.default_rng(7))
    n = params.jobs
    # then: source, jobs, sink; every arc forward; NC counted over all nodes and arcs
    assert len(p.activities) == n + 2
    arcs = [(x.pred, x.succ) for x in p.precedences]
    assert all(i < j for i, j in arcs)
    assert nc == pytest.approx(len(arcs) / (n + 2), abs=1e-3)
    assert abs(nc - params.nc) <= 1 / (n + 2)
    # no arc is implied by a longer path, and ProGen's degree limits hold
    g = nx.DiGraph(arcs)
    assert sorted(nx.transitive_reduction(g).edges) == sorted(arcs)
    jobs = range(1, n + 1)
    assert max(g.out_degree(j) for j in jobs) <= params.max_degree
    assert max(g.in_degree(j) for j in jobs) <= params.max_degree
    assert g.out_degree(0) == params.starts and g.in_degree(n + 1) == params.finishes
    # durations and demands in 1..10; each job uses RF x 4 resources
    assert all(1 <= p.activities[j].duration <= 10 for j in jobs)
    used = [sum(d > 0 for d in p.activities[j].demands) for j in jobs]
    assert set(used) == {round(params.rf * 4)}
    # capacity = Kmin + round(RS (Kmax - Kmin)) on the earliest-start schedule
    net = Network(p)
    demand = np.array([a.demands for a in p.activities])
    horizon = max(net.es[j] + net.dur[j] for j in range(n + 2))
    peak = np.zeros((horizon, 4), dtype=int)
    for j in jobs:
        peak[net.es[j] : net.es[j] + net.dur[j]] += demand[j]
    for k, r in enumerate(p.resources):
        lo, hi = demand[:, k].max(), peak[:, k].max()
        assert r.capacity == lo + round(params.rs * (hi - lo))


def test_same_seed_same_instance() -> None:
    a, _ = generate(Params(jobs=40), np.random.default_rng(3))
    b, _ = generate(Params(jobs=40), np.random.default_rng(3))
    c, _ = generate(Params(jobs=40), np.random.default_rng(4))
    assert a == b
    assert a != c


def test_command_writes_readable_files(tmp_path: Path) -> None:
    out = tmp_path / "g30"
    # when: two cells, two instances each
    code = progen.main(
        [
            str(out),
            "--jobs",
            "30",
            "--per-cell",
            "2",
            "--nc",
            "1.5",
            "--rf",
            "1",
            "--rs",
            "0.2",
            "0.5",
        ]
    )
    # then
    assert code == 0
    names = sorted(f.name for f in out.glob("*.sm"))
    assert names == ["g301_1.sm", "g301_2.sm", "g302_1.sm", "g302_2.sm"]
    rows = (out / "parameters.csv").read_text().splitlines()
    assert rows[0] == "instance,nc,rf,rs,nc_reached"
    assert rows[3].startswith("g302_1.sm,1.5,1.0,0.5,")
    problem = read_sm(out / "g301_1.sm")
    schedule = solve(problem, backend="heuristic", time_limit=2)
    assert schedule.makespan >= Network(problem).es[-1]


def test_command_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert progen.main([str(tmp_path)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert progen.main([str(tmp_path / "new"), "--rf", "1.5"]) == 2
    assert "rf: must be in (0, 1]" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_docstring_examples() -> None:
    result = doctest.testmod(progen, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2
    assert result.failed == 0

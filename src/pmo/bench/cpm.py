"""Benchmark of the CPM engine against a straightforward networkx implementation.

Run ``python -m pmo.bench.cpm --tasks 1000000``. The last line printed is::

    summary: tasks=N links=M seconds=S networkx_ratio_at_100k=R

where ``S`` is the median time of the engine's full pass (topological levels,
forward and backward pass, floats) on the ``N``-task network and ``R`` the
median networkx time divided by the median engine time on a 100,000-task
network generated the same way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from pmo.core.commands import OneLineArgumentParser, bad_options
from pmo.engine.cpm import FF, FS, SF, SS, CpmArrays, Network, Prepared, cpm_arrays, prepare

__all__ = ["NxResult", "generate_layered_dag", "main", "networkx_cpm", "to_networkx"]

IntArray = npt.NDArray[np.int64]
RATIO_TASKS = 100_000


def generate_layered_dag(
    n_tasks: int,
    links_per_task: float,
    rng: np.random.Generator,
    *,
    layer_width: int = 1000,
    reach: int = 3,
) -> Network:
    """Generate a layered random DAG with mixed link types and lags.

    Tasks are cut into layers of ``layer_width``; each task outside the first
    layer gets about ``links_per_task`` predecessors drawn from the ``reach``
    layers before it (duplicate pairs removed). Durations are 0..20 (about 5 %
    milestones), lags -2..5, link types 70 % FS and 10 % each SS, FF, SF.

    Examples
    --------
    >>> net = generate_layered_dag(5000, 2, np.random.default_rng(1))
    >>> net.n_tasks, net.n_links > 9000
    (5000, True)
    """
    layer = np.arange(n_tasks, dtype=np.int64) // layer_width
    duration = rng.integers(1, 21, size=n_tasks)
    duration[rng.random(n_tasks) < 0.05] = 0
    k = round(n_tasks * links_per_task)
    succ = (
        rng.integers(min(layer_width, n_tasks), max(n_tasks, 1), size=k)
        if n_tasks > layer_width
        else np.zeros(0, dtype=np.int64)
    )
    back = rng.integers(1, reach + 1, size=succ.size)
    src_layer = np.maximum(layer[succ] - back, 0)
    pred = src_layer * layer_width + rng.integers(0, layer_width, size=succ.size)
    pair = np.unique(pred * n_tasks + succ)
    pred, succ = pair // n_tasks, pair % n_tasks
    m = pred.size
    link_type = rng.choice(np.array([FS, SS, FF, SF]), size=m, p=[0.7, 0.1, 0.1, 0.1])
    lag = rng.integers(-2, 6, size=m)
    return Network(duration=duration, pred=pred, succ=succ, link_type=link_type, lag=lag)


@dataclass(frozen=True, slots=True, kw_only=True)
class NxResult:
    """Early/late starts and total float computed by :func:`networkx_cpm`."""

    early_start: list[int]
    late_start: list[int]
    total_float: list[int]


def to_networkx(net: Network) -> nx.DiGraph:
    """Build the networkx graph that :func:`networkx_cpm` works on."""
    g = nx.DiGraph()
    g.add_nodes_from((i, {"d": d}) for i, d in enumerate(net.duration.tolist()))
    g.add_edges_from(
        (p, s, {"t": t, "lag": lag})
        for p, s, t, lag in zip(
            net.pred.tolist(),
            net.succ.tolist(),
            net.link_type.tolist(),
            net.lag.tolist(),
            strict=True,
        )
    )
    return g


def networkx_cpm(g: nx.DiGraph) -> NxResult:
    """Straightforward CPM: ``topological_sort`` and Python loops over neighbours."""
    order = list(nx.topological_sort(g))
    n = g.number_of_nodes()
    dur = [0] * n
    for v, d in g.nodes(data="d"):
        dur[v] = d
    es = [0] * n
    for v in order:
        best = 0
        for p, _, data in g.in_edges(v, data=True):
            t = data["t"]
            anchor = es[p] + (dur[p] if t in (FS, FF) else 0)
            c = anchor + data["lag"] - (dur[v] if t in (FF, SF) else 0)
            if c > best:
                best = c
        es[v] = best
    finish = max((es[v] + dur[v] for v in range(n)), default=0)
    ls = [finish - dur[v] for v in range(n)]
    for v in reversed(order):
        best = ls[v]
        for _, s, data in g.out_edges(v, data=True):
            t = data["t"]
            c = ls[s] + (dur[s] if t in (FF, SF) else 0) - data["lag"]
            c -= dur[v] if t in (FS, FF) else 0
            if c < best:
                best = c
        ls[v] = best
    return NxResult(
        early_start=es, late_start=ls, total_float=[a - b for a, b in zip(ls, es, strict=True)]
    )


def _time(fn: Callable[[], object], repeat: int, label: str) -> tuple[float, object]:
    times: list[float] = []
    out: object = None
    for _ in tqdm(range(repeat), desc=label, file=sys.stderr, leave=False):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print timings and one ``summary:`` line; return 0."""
    parser = OneLineArgumentParser(
        prog="pmo bench cpm",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--tasks", type=int, default=1_000_000, help="tasks in the network")
    parser.add_argument("--links-per-task", type=float, default=2.0, help="links per task")
    parser.add_argument("--seed", type=int, default=12345, help="random seed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--layer-width", type=int, default=1000, help="tasks per layer of the DAG")
    args = parser.parse_args(argv)
    problem = bad_options(
        [
            ("--tasks", args.tasks >= 1, f"must be >= 1, got {args.tasks}"),
            (
                "--links-per-task",
                args.links_per_task >= 0,
                f"must be >= 0, got {args.links_per_task}",
            ),
            ("--repeat", args.repeat >= 1, f"must be >= 1, got {args.repeat}"),
            ("--layer-width", args.layer_width >= 1, f"must be >= 1, got {args.layer_width}"),
        ]
    )
    if problem:
        parser.error(problem)
    print(f"generating {args.tasks} tasks ...", file=sys.stderr)
    width = args.layer_width
    rng = np.random.default_rng(args.seed)
    net = generate_layered_dag(args.tasks, args.links_per_task, rng, layer_width=width)
    seconds, _ = _time(lambda: cpm_arrays(net), args.repeat, f"engine {net.n_tasks}")
    prep_s, prep = _time(lambda: prepare(net), args.repeat, "  of which levels")
    assert isinstance(prep, Prepared)
    pass_s, _ = _time(lambda: cpm_arrays(net, prepared=prep), args.repeat, "  of which passes")
    print(
        f"engine: tasks={net.n_tasks} links={net.n_links} levels={prep.n_levels} "
        f"median={seconds:.4f}s (levels {prep_s:.4f}s + passes {pass_s:.4f}s)"
    )
    print("building the 100k networkx graph ...", file=sys.stderr)
    rng = np.random.default_rng(args.seed)
    small = generate_layered_dag(RATIO_TASKS, args.links_per_task, rng, layer_width=width)
    graph = to_networkx(small)
    eng_small, res_small = _time(lambda: cpm_arrays(small), args.repeat, "engine 100k")
    nx_small, nx_res = _time(lambda: networkx_cpm(graph), args.repeat, "networkx 100k")
    assert isinstance(res_small, CpmArrays) and isinstance(nx_res, NxResult)
    if (
        res_small.total_float.tolist() != nx_res.total_float
        or res_small.early_start.tolist() != nx_res.early_start
    ):
        print("pmo bench cpm: error: engine and networkx disagree", file=sys.stderr)
        return 1
    ratio = nx_small / eng_small
    print(f"at 100k: engine={eng_small:.4f}s networkx={nx_small:.4f}s ratio={ratio:.1f}")
    print(
        f"summary: tasks={net.n_tasks} links={net.n_links} seconds={seconds:.3f} "
        f"networkx_ratio_at_100k={ratio:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

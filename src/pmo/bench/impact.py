"""Benchmark: slip-impact propagation over a synthetic bank portfolio.

1,000 projects x 200 tasks (each project a layered plan: 20 stages of 10 parallel tasks,
links between consecutive stages with random free float), 5 milestones and 4 gates per
project, and 5,000 cross-project links (acyclic: from a lower project number to a higher
one, with random slack). Times :func:`pmo.engine.impact.build_network` once and
:func:`pmo.engine.impact.propagate` for slips of 15 working days at random tasks, plus the
worst case: a slip of 250 days of the first task of the most depended-on project.
Target (issue #7): one propagation under 1 s.

    pmo bench impact [--projects 1000] [--repeat 20]
    .venv/bin/python benchmarks/impact.py [...]     (the same)

The last line printed is ``summary: nodes=N edges=M build=S median=S worst=S``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from pmo.core.commands import OneLineArgumentParser, bad_options
from pmo.engine.impact import build_network, propagate


def _float(rng: np.random.Generator, size: int, most: int) -> np.ndarray:
    """Free float: 0 (binding) for 70 % of links, else 1..most working days."""
    return np.where(rng.random(size) < 0.7, 0, rng.integers(1, most + 1, size))


def synthetic(projects: int, tasks: int, links: int, seed: int = 7) -> tuple[int, list[np.ndarray]]:
    """The synthetic portfolio network: node count and ``[src, dst, slack]`` arrays."""
    rng = np.random.default_rng(seed)
    width = 10
    stages = tasks // width
    per = tasks + 9  # tasks, 5 milestones, 4 gates
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    slack: list[np.ndarray] = []
    base = np.arange(projects, dtype=np.int64) * per
    for s in range(stages - 1):
        for a in range(width):
            for b in (a, (a + 1) % width, (a + 3) % width):
                src.append(base + s * width + a)
                dst.append(base + (s + 1) * width + b)
                slack.append(_float(rng, projects, 5))
    for m in range(9):  # milestones and gates hang off stage ends
        stage = min(stages - 1, (m + 1) * stages // 10)
        for a in range(width):
            src.append(base + stage * width + a)
            dst.append(base + tasks + m)
            slack.append(rng.integers(0, 10, projects))
    sup = rng.integers(0, projects - 1, links)
    con = np.minimum(projects - 1, sup + 1 + rng.integers(0, 50, links))
    src.append(sup * per + tasks + rng.integers(0, 5, links))  # supplier milestone
    dst.append(con * per + rng.integers(0, tasks, links))  # consumer task
    slack.append(_float(rng, links, 15))
    return projects * per, [np.concatenate(x) for x in (src, dst, slack)]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    parser = OneLineArgumentParser(
        prog="pmo bench impact",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--projects", type=int, default=1000, help="projects in the portfolio")
    parser.add_argument("--tasks", type=int, default=200, help="tasks per project")
    parser.add_argument(
        "--links", type=int, default=5000, help="cross-project dependencies (milestone to task)"
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="slips propagated (the median time is printed)"
    )
    args = parser.parse_args(argv)
    # Stages are 10 tasks wide and the slips start in the first tenth of the projects.
    problem = bad_options(
        [
            ("--projects", args.projects >= 10, f"must be >= 10, got {args.projects}"),
            ("--tasks", args.tasks >= 10, f"must be >= 10, got {args.tasks}"),
            ("--links", args.links >= 0, f"must be >= 0, got {args.links}"),
            ("--repeat", args.repeat >= 1, f"must be >= 1, got {args.repeat}"),
        ]
    )
    if problem:
        parser.error(problem)
    n, (src, dst, slack) = synthetic(args.projects, args.tasks, args.links)
    t = time.perf_counter()
    net = build_network(n, src=src, dst=dst, slack=slack)
    build = time.perf_counter() - t
    print(f"network: {n:,} nodes, {src.size:,} edges; build {build:.3f} s")
    rng = np.random.default_rng(1)
    per = args.tasks + 9
    times, sizes = [], []
    for _ in range(args.repeat):
        node = int(rng.integers(0, args.projects // 10)) * per + int(rng.integers(0, 20))
        t = time.perf_counter()
        moved = propagate(net, {node: 15})
        times.append(time.perf_counter() - t)
        sizes.append(len(moved))
    print(
        f"slip 15 d at a random early task: median {statistics.median(times):.3f} s, "
        f"max {max(times):.3f} s, median {int(statistics.median(sizes)):,} items moved"
    )
    worst = []
    for _ in range(3):
        t = time.perf_counter()
        moved = propagate(net, {0: 250})
        worst.append(time.perf_counter() - t)
    print(
        f"slip 250 d of project 1's first task: median {statistics.median(worst):.3f} s, "
        f"{len(moved):,} items moved"
    )
    print(
        f"summary: nodes={n} edges={src.size} build={build:.3f} "
        f"median={statistics.median(times):.3f} worst={statistics.median(worst):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

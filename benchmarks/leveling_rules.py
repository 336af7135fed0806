"""Time the priority-rule heuristic on generated portfolios (the warm start of every solve).

The heuristic decodes four priority rules with the serial and the parallel
scheme and justifies each schedule; ``solve`` runs it before CP-SAT and the
genetic algorithm, so its time comes out of every leveling run's budget.
Portfolios come from ``pmo bench portfolio-leveling``'s generator (same seed,
same sizes as that benchmark at 50 x 100).

    PYTHONPATH=src .venv/bin/python benchmarks/leveling_rules.py \\
        [--sizes 10x100 50x100] [--repeat 5]

Prints one line per size: weighted delay and makespan of the result (to compare
commits: equal schedules give equal figures) and the median seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from pmo.bench.portfolio_leveling import generate_portfolio
from pmo.engine.leveling import solve_heuristic
from pmo.engine.leveling.ga import warm_up
from pmo.engine.leveling.network import Network


def _size(text: str) -> tuple[int, int]:
    try:
        projects, tasks = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected PROJECTSxTASKS, got {text!r}") from None
    if projects < 1 or tasks < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive, got {text!r}")
    return projects, tasks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=_size, nargs="+", default=[(10, 100), (50, 100)])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    warm_up()  # compiled kernels load outside the timing
    for projects, tasks in args.sizes:
        problem = generate_portfolio(
            np.random.default_rng(args.seed), projects=projects, tasks=tasks
        )
        times = []
        for _ in range(args.repeat):
            net = Network(problem)  # a fresh network: its compiled form is built in the timing
            t0 = time.perf_counter()
            found = solve_heuristic(
                problem, rng=np.random.default_rng(args.seed), samples=0, network=net
            )
            times.append(time.perf_counter() - t0)
        print(
            f"{projects}x{tasks}: activities={problem.n_activities} "
            f"weighted_delay={found.objective} makespan={found.makespan} "
            f"median_s={statistics.median(times):.3f} runs={len(times)}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

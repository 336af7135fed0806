"""The issue's reference point: a plain CP-SAT model of PSPLIB instances.

Intervals, precedences and one cumulative per resource, minimise the makespan;
no warm start, no bounds, no redundant constraints, CP-SAT's default search.
It calibrates the machine: issue #6 quotes "about 92 % matched and 0.3 %
mean gap on j60 at 10 s" for this model, so running it here, beside
``pmo bench rcpsp``, shows what the same model reaches on this machine.

    PYTHONPATH=src .venv/bin/python benchmarks/plain_cpsat.py DIR [--time-limit 10] [--workers 2]

Prints the same CSV and ``summary:`` line as ``pmo bench rcpsp``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ortools.sat.python import cp_model
from tqdm import tqdm

from pmo.bench.rcpsp import summary_line
from pmo.engine.leveling.model import Problem
from pmo.engine.leveling.psplib import natural_key, read_optimum, read_sm


def solve_plain(problem: Problem, time_limit: float, workers: int) -> tuple[int, int]:
    """Return (makespan, bound) of the plain model within ``time_limit`` seconds."""
    acts = problem.activities
    horizon = sum(a.duration for a in acts)
    model = cp_model.CpModel()
    starts = [model.new_int_var(0, horizon, f"s{j}") for j in range(len(acts))]
    ivs = [
        model.new_fixed_size_interval_var(starts[j], a.duration, f"i{j}")
        for j, a in enumerate(acts)
    ]
    durations = tuple(a.duration for a in acts)
    for p in problem.precedences:
        model.add(starts[p.succ] >= starts[p.pred] + p.start_lag(durations))
    for k, r in enumerate(problem.resources):
        users = [j for j, a in enumerate(acts) if a.demands[k] > 0]
        model.add_cumulative(
            [ivs[j] for j in users], [acts[j].demands[k] for j in users], r.capacity
        )
    makespan = model.new_int_var(0, horizon, "makespan")
    for j, a in enumerate(acts):
        model.add(makespan >= starts[j] + a.duration)
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SystemExit(f"error: no schedule within {time_limit} s")
    return int(solver.objective_value), int(solver.best_objective_bound)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", type=Path)
    p.add_argument("--time-limit", type=float, default=10.0)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    files = sorted(args.dir.glob("*.sm"), key=lambda f: natural_key(f.name))
    optimum = args.dir / "optimum" / "optimum.csv"
    best = read_optimum(optimum) if optimum.is_file() else {}
    print("instance,makespan,bound,best_known,seconds", flush=True)
    matched, gaps, seconds = 0, [], []
    for f in tqdm(files, desc=f"plain cp-sat {args.dir.name}", unit="inst", file=sys.stderr):
        t0 = time.perf_counter()
        makespan, bound = solve_plain(read_sm(f), args.time_limit, args.workers)
        dt = time.perf_counter() - t0
        seconds.append(dt)
        bk = best.get(f.name)
        if bk is not None:
            matched += makespan <= bk.upper
            gaps.append(100.0 * (makespan - bk.upper) / bk.upper)
        print(f"{f.name},{makespan},{bound},{'' if bk is None else bk.upper},{dt:.3f}", flush=True)
    print(summary_line(len(files), matched, gaps, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

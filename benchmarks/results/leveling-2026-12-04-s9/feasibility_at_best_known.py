"""Ninth-session experiment: CP-SAT with the best-known makespan as a hard deadline.

Usage (the file lists instance file names, one per line):

    cd benchmarks/results/leveling-2026-12-04-s9
    PYTHONPATH=../../../src ../../../.venv/bin/python feasibility_at_best_known.py \
        j60-misses.txt 10 2

Prints ``instance deadline found_makespan hit seconds`` per instance and ``hits H N``.
"""

import dataclasses
import sys
import time
from pathlib import Path

from pmo.engine.errors import InfeasibleError
from pmo.engine.leveling.cpsat import solve_cpsat
from pmo.engine.leveling.psplib import read_optimum, read_sm

data = Path(__file__).resolve().parents[4] / "shared" / "data" / "psplib" / "j60"
best = read_optimum(data / "optimum" / "optimum.csv")
names = Path(sys.argv[1]).read_text().split()
limit, workers = float(sys.argv[2]), int(sys.argv[3])
hits = 0
for name in names:
    problem = read_sm(data / name)
    deadline = best[name].upper
    activities = tuple(dataclasses.replace(a, deadline=deadline) for a in problem.activities)
    t0 = time.perf_counter()
    try:
        found = solve_cpsat(
            dataclasses.replace(problem, activities=activities), time_limit=limit, workers=workers
        ).objective
    except InfeasibleError:
        found = None
    hit = found is not None and found <= deadline
    hits += hit
    print(name, deadline, found or "none", hit, round(time.perf_counter() - t0, 2), flush=True)
print("hits", hits, len(names))

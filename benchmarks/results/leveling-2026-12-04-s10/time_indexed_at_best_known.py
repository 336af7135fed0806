"""Tenth-session experiment: a time-indexed CP-SAT model asked for the best-known makespan.

One 0/1 variable per activity and possible start (time windows from the critical path and the
best-known makespan as deadline), disaggregated precedences, one capacity row per resource and
period; ``both`` also channels the start times into the interval model with cumulatives.

    cd benchmarks/results/leveling-2026-12-04-s10
    PYTHONPATH=../../../src ../../../.venv/bin/python time_indexed_at_best_known.py \
        ../leveling-2026-12-04-s9/j60-misses.txt 10 2 [ti|both]
"""

import sys
import time
from pathlib import Path

from ortools.sat.python import cp_model

from pmo.engine.leveling.network import Network
from pmo.engine.leveling.psplib import read_optimum, read_sm

data = Path(__file__).resolve().parents[4] / "shared" / "data" / "psplib" / "j60"
best = read_optimum(data / "optimum" / "optimum.csv")
names = Path(sys.argv[1]).read_text().split()
limit, workers = float(sys.argv[2]), int(sys.argv[3])
mode = sys.argv[4] if len(sys.argv) > 4 else "ti"
hits = 0
for name in names:
    p = read_sm(data / name)
    net = Network(p)
    T = best[name].upper
    es = net.es
    ls = net.latest_starts(T)
    m = cp_model.CpModel()
    x = {}
    for j in range(net.n):
        x[j] = {t: m.new_bool_var(f"x{j}_{t}") for t in range(es[j], ls[j] + 1)}
        m.add_exactly_one(x[j].values())
    # disaggregated precedence: started_by(j, t) <= started_by(i, t - d)
    for i in range(net.n):
        for j, delta in net.succ[i]:
            for t in range(es[j], ls[j] + 1):
                lhs = [x[j][s] for s in range(es[j], t + 1)]
                rhs = [x[i][s] for s in range(es[i], min(ls[i], t - delta) + 1)]
                m.add(sum(lhs) <= sum(rhs))
    for k in range(net.m):
        cap = p.resources[k].capacity
        for t in range(T):
            terms = []
            for j in range(net.n):
                q = int(net.demand[j, k])
                d = net.dur[j]
                if q == 0 or d == 0:
                    continue
                for s in range(max(es[j], t - d + 1), min(ls[j], t) + 1):
                    terms.append(q * x[j][s])
            if terms:
                m.add(sum(terms) <= cap)
    if mode == "both":
        starts = []
        for j in range(net.n):
            s = m.new_int_var(es[j], ls[j], f"s{j}")
            m.add(s == sum(t * v for t, v in x[j].items()))
            starts.append(s)
        for k in range(net.m):
            used = [j for j in range(net.n) if net.demand[j, k] and net.dur[j]]
            iv = [m.new_fixed_size_interval_var(starts[j], net.dur[j], f"i{j}") for j in used]
            dm = [int(net.demand[j, k]) for j in used]
            m.add_cumulative(iv, dm, p.resources[k].capacity)
        for i in range(net.n):
            for j, delta in net.succ[i]:
                m.add(starts[j] >= starts[i] + delta)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    t0 = time.perf_counter()
    st = solver.solve(m)
    hit = st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    hits += hit
    print(
        name,
        T,
        solver.status_name(st),
        round(time.perf_counter() - t0, 2),
        sum(len(v) for v in x.values()),
        flush=True,
    )
print("hits", hits, len(names))

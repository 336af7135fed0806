"""Benchmark portfolio leveling: CP-SAT vs the priority-rule heuristic on a generated portfolio.

Usage::

    python -m pmo.bench.portfolio_leveling [--projects 50] [--tasks 100] [--roles 20]
        [--time-limits 30 120] [--workers 2] [--seed 0]

The portfolio is generated deterministically from ``--seed``: every project is
a layered random network of tasks, each task needs one or two roles, projects
are released over time and carry a priority (1-5) whose weight multiplies the
project's delay against its own CPM finish. For each time limit it runs
``solve`` (what "Level the portfolio" runs: rules, project-priority search and
CP-SAT's project-group search within the limit) and CP-SAT alone from the
rules' schedule. Prints one line per solver run and a final ``summary:`` line.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from tqdm import tqdm

from pmo.core.commands import OneLineArgumentParser, bad_options
from pmo.engine.errors import EngineError
from pmo.engine.leveling import (
    Activity,
    CpSatOptions,
    Objective,
    Precedence,
    Problem,
    Project,
    Resource,
    Schedule,
    check_schedule,
    solve,
    solve_cpsat,
    solve_heuristic,
)
from pmo.engine.leveling.network import Network

__all__ = ["PRIORITY_WEIGHTS", "generate_portfolio", "main"]

PRIORITY_WEIGHTS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}
"""Weight of a project's delay by its priority (5 = most important)."""


def generate_portfolio(
    rng: np.random.Generator,
    *,
    projects: int = 50,
    tasks: int = 100,
    roles: int = 20,
    load: float = 1.15,
) -> Problem:
    """A random portfolio sharing ``roles`` renewable roles, deterministic given ``rng``.

    Role capacities are set so that running every project at its CPM dates
    would need about ``load`` times the capacity on average.

    Examples
    --------
    >>> p = generate_portfolio(np.random.default_rng(1), projects=3, tasks=10, roles=2)
    >>> p.n_activities, len(p.projects), p.objective.value
    (30, 3, 'weighted_delay')
    """
    acts: list[Activity] = []
    precs: list[Precedence] = []
    projs: list[Project] = []
    demand = np.zeros((projects * tasks, roles), dtype=np.int64)
    for p in range(projects):
        priority = int(rng.integers(1, 6))
        projs.append(Project(name=f"P{p + 1:02d}", weight=PRIORITY_WEIGHTS[priority]))
        release = int(rng.integers(0, 8 * projects))
        layers = int(rng.integers(6, 13))
        layer_of = np.sort(rng.integers(0, layers, size=tasks))
        layer_of[0] = 0
        base = p * tasks
        home = rng.choice(roles, size=min(roles, 5), replace=False)
        for t in range(tasks):
            j = base + t
            r1 = int(rng.choice(home))
            demand[j, r1] = int(rng.integers(1, 4))
            if rng.random() < 0.3:
                r2 = int(rng.integers(0, roles))
                demand[j, r2] = max(demand[j, r2], int(rng.integers(1, 3)))
            acts.append(
                Activity(
                    name=f"P{p + 1:02d}-T{t + 1:03d}",
                    duration=int(rng.integers(1, 11)),
                    demands=tuple(int(x) for x in demand[j]),
                    project=p,
                    release=release,
                )
            )
            earlier = np.flatnonzero(layer_of[:t] < layer_of[t])
            if earlier.size:
                k = min(earlier.size, int(rng.integers(1, 4)))
                for i in rng.choice(earlier, size=k, replace=False):
                    lag = int(rng.integers(1, 4)) if rng.random() < 0.1 else 0
                    precs.append(Precedence(pred=base + int(i), succ=j, lag=lag))
    # Capacities from the CPM load profile: average use while a role is busy.
    draft = Problem(
        resources=tuple(Resource(name=f"role{k + 1:02d}", capacity=10**6) for k in range(roles)),
        activities=tuple(acts),
        precedences=tuple(precs),
        projects=tuple(projs),
        objective=Objective.WEIGHTED_DELAY,
    )
    net = Network(draft)
    end = max(e + d for e, d in zip(net.es, net.dur, strict=True))
    use = np.zeros((roles, end), dtype=np.int64)
    for j, a in enumerate(acts):
        use[:, net.es[j] : net.es[j] + a.duration] += demand[j][:, None]
    caps = []
    for k in range(roles):
        busy = use[k][use[k] > 0]
        need = int(demand[:, k].max())
        caps.append(max(need, int(np.ceil(busy.mean() / load)) if busy.size else need))
    return Problem(
        resources=tuple(Resource(name=f"role{k + 1:02d}", capacity=c) for k, c in enumerate(caps)),
        activities=tuple(acts),
        precedences=tuple(precs),
        projects=tuple(projs),
        objective=Objective.WEIGHTED_DELAY,
    )


def _line(label: str, s: Schedule) -> str:
    return (
        f"{label}: weighted_delay={s.objective} bound={s.bound} makespan={s.makespan} "
        f"late_projects={sum(d > 0 for d in s.project_delay)} seconds={s.seconds:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the process exit code."""
    ap = OneLineArgumentParser(
        prog="pmo bench portfolio-leveling",
        description=(
            "Level a generated portfolio with the priority rules and with CP-SAT, and compare "
            "the weighted project delays. The portfolio is the same for the same --seed. "
            "Prints one line per solver run and a final summary: line."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    ap.add_argument("--projects", type=int, default=50, help="projects in the portfolio")
    ap.add_argument("--tasks", type=int, default=100, help="tasks per project")
    ap.add_argument("--roles", type=int, default=20, help="roles the tasks need")
    ap.add_argument(
        "--time-limits",
        type=float,
        nargs="+",
        default=[30.0, 120.0],
        metavar="S",
        help="seconds CP-SAT may search; one run per limit",
    )
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT worker threads")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the portfolio")
    ap.add_argument(
        "--full-model",
        action="store_true",
        help="also run CP-SAT on the whole portfolio as one model (no project groups)",
    )
    args = ap.parse_args(argv)
    wrong = bad_options(
        [
            (f"--{name}", value >= 1, f"must be >= 1, got {value}")
            for name, value in (
                ("projects", args.projects),
                ("tasks", args.tasks),
                ("roles", args.roles),
                ("workers", args.workers),
            )
        ]
        + [("--time-limits", min(args.time_limits) > 0, "must be > 0 seconds")]
    )
    if wrong:
        ap.error(wrong)
    try:
        t0 = time.perf_counter()
        problem = generate_portfolio(
            np.random.default_rng(args.seed),
            projects=args.projects,
            tasks=args.tasks,
            roles=args.roles,
        )
        net = Network(problem)
        print(
            f"portfolio: projects={args.projects} tasks={problem.n_activities} "
            f"roles={args.roles} precedences={len(problem.precedences)} seed={args.seed} "
            f"generated_in={time.perf_counter() - t0:.1f}s",
            flush=True,
        )
        results: list[tuple[str, Schedule]] = []
        bar = tqdm(total=1 + len(args.time_limits), desc="portfolio leveling", file=sys.stderr)
        heur = solve_heuristic(
            problem, rng=np.random.default_rng(args.seed), samples=0, network=net
        )
        check_schedule(problem, heur.starts)
        print(_line("heuristic", heur), flush=True)
        bar.update()
        modes = {"cpsat": CpSatOptions(seed=args.seed)}
        if args.full_model:
            modes["cpsat_full"] = CpSatOptions(seed=args.seed, decompose_above=10**9)
        for limit in args.time_limits:
            # What "Level the portfolio" runs: the rules, the project-priority search,
            # then CP-SAT's project-group search, all inside the limit.
            t1 = time.perf_counter()
            s = solve(
                problem,
                time_limit=limit,
                workers=args.workers,
                rng=np.random.default_rng(args.seed),
            )
            check_schedule(problem, s.starts)
            label = f"solve_{limit:g}s"
            print(_line(label, s) + f" wall={time.perf_counter() - t1:.1f}s", flush=True)
            results.append((label, s))
            for name, options in modes.items():
                t1 = time.perf_counter()
                s = solve_cpsat(
                    problem,
                    hint=heur,
                    time_limit=limit,
                    workers=args.workers,
                    options=options,
                    network=net,
                )
                check_schedule(problem, s.starts)
                label = f"{name}_{limit:g}s"
                print(_line(label, s) + f" wall={time.perf_counter() - t1:.1f}s", flush=True)
                results.append((label, s))
            bar.update()
        bar.close()
    except EngineError as exc:
        print(f"pmo bench portfolio-leveling: error: {exc}", file=sys.stderr)
        return 1
    parts = [f"heuristic={heur.objective}"]
    for label, s in results:
        pct = 100.0 * (heur.objective - s.objective) / max(heur.objective, 1)
        parts.append(f"{label}={s.objective} ({pct:.1f}% better)")
    print("summary: " + " ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

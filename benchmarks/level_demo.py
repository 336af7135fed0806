"""Level the current plan of a demo database as "Level the portfolio" does, and time it.

Builds the leveling problem of the current plan (``pmo.resources.leveling``'s layer:
allocations from today, resources with their calendars, project priorities as weights)
on the database ``PMO_DATABASE_URL`` names, then runs ``solve`` at each time limit and
prints the weighted delay against the priority rules'. Load a database first, e.g.::

    PMO_ALLOW_DEV_KEY=1 PMO_DATABASE_URL=sqlite:////tmp/demo5k/pmo.sqlite3 \\
        .venv/bin/pmo migrate && .venv/bin/pmo demo --projects 5000 --no-serve
    PMO_ALLOW_DEV_KEY=1 PMO_DATABASE_URL=sqlite:////tmp/demo5k/pmo.sqlite3 \\
        PYTHONPATH=src .venv/bin/python benchmarks/level_demo.py --time-limits 30

Run it with ``PYTHONPATH`` pointing at two checkouts in turn to compare them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limits", type=float, nargs="+", default=[30.0], metavar="S")
    args = parser.parse_args()
    if min(args.time_limits) <= 0:
        parser.error("time limits must be positive")

    import django

    django.setup()
    from pmo.engine.leveling import solve, solve_heuristic
    from pmo.engine.leveling.ga import warm_up
    from pmo.resources import leveling

    warm_up()
    t0 = time.perf_counter()
    problem = leveling._layer(None, dt.date.today()).problem  # type: ignore[arg-type]
    print(
        f"problem: activities={problem.n_activities} projects={len(problem.projects)} "
        f"resources={len(problem.resources)} built_in={time.perf_counter() - t0:.1f}s",
        flush=True,
    )
    t0 = time.perf_counter()
    rules = solve_heuristic(problem, samples=0)
    print(f"rules: weighted_delay={rules.objective} seconds={time.perf_counter() - t0:.2f}")
    for limit in args.time_limits:
        t0 = time.perf_counter()
        found = solve(problem, time_limit=limit)
        pct = 100.0 * (rules.objective - found.objective) / max(rules.objective, 1)
        print(
            f"solve_{limit:g}s: weighted_delay={found.objective} ({pct:.1f}% better) "
            f"status={found.status.value} wall={time.perf_counter() - t0:.1f}s",
            flush=True,
        )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    main()

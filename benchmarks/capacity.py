"""Capacity benchmark: heat map, drill-down and the leveling problem build on a demo database.

Times, in-process, the three reads a director's capacity page and a leveling run start with,
on whatever database ``PMO_DATABASE_URL`` names (load one with ``pmo demo --projects 5000
--no-serve``): ``build_heatmap`` (by role, 26 weeks from today), ``list_cell_causes`` for the
busiest cell and ``leveling._layer`` (queries plus ``adapters.build_problem``) on the current
plan, comparing two scenarios, and the planned labour cost of every allocation of the plan
(``costs.row_cost`` per row against ``costs.row_costs``), and who is free for 12 weeks and
for a year (``find_available``), and the requests to commit with whether each fits
(``pending_requests``). Prints the median and the spread
of ``--repeat`` runs each, in milliseconds.

To compare two versions side by side, run this file with ``PYTHONPATH`` pointing at each
checkout's ``src`` in turn, interleaved, against the same database::

    PMO_ALLOW_DEV_KEY=1 PMO_DATABASE_URL=sqlite:////tmp/hmbench/pmo.sqlite3 \\
        PYTHONPATH=src .venv/bin/python benchmarks/capacity.py --repeat 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    fn()  # warm caches (calendar masks, query plans)
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--label", default="")
    parser.add_argument("--only", default="", help="time only the cases whose name has this")
    args = parser.parse_args()

    import django

    django.setup()
    from pmo.accounts.models import OrgUnit
    from pmo.resources import calendars, costs, leveling
    from pmo.resources.filters import ResourceFilter
    from pmo.resources.heatmap import build_heatmap, find_available
    from pmo.resources.heatmap.requests import pending_requests
    from pmo.resources.models import Allocation
    from pmo.resources.selectors import list_cell_causes

    unit = OrgUnit.objects.filter(code="cn").values_list("pk", flat=True).first()

    from pmo.accounts.models import User
    from pmo.resources import services
    from pmo.resources.compare import compare_scenarios
    from pmo.resources.models import Scenario

    today = dt.date.today()
    # two draft scenarios to compare (made once; they stay in the benchmark database)
    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin")
    for name in ("bench A", "bench B"):
        if not Scenario.objects.filter(name=name).exists():
            services.create_scenario(actor=admin, name=name)
    pair = list(
        Scenario.objects.filter(name__in=["bench A", "bench B"]).values_list("pk", flat=True)
    )
    plan = list(Allocation.objects.filter(scenario=None).select_related("resource"))
    days_off = calendars.load_overrides()
    heat = build_heatmap(by="role", start=today, count=26)
    row, cell = max(((r, c) for r in heat.rows for c in r.cells), key=lambda rc: rc[1].demand)
    cases: dict[str, Callable[[], Any]] = {
        "heatmap role 26 weeks": lambda: build_heatmap(by="role", start=today, count=26),
        "heatmap org unit 12 months": lambda: build_heatmap(
            by="org_unit", start=today, count=12, scale="month"
        ),
        "cell causes": lambda: list_cell_causes(
            by="role", key=row.key, first=cell.first, last=cell.last
        ),
        "leveling problem build": lambda: leveling._layer(None, today),  # type: ignore[arg-type]
        "compare 2 scenarios, 26 weeks": lambda: compare_scenarios(pair, start=today, count=26),
        "heat map, hours, China region": lambda: build_heatmap(
            by="resource", start=today, count=26, unit="hours", only=ResourceFilter(org_unit=unit)
        ),
        "who is free, 12 weeks": lambda: find_available(
            first=today, last=today + dt.timedelta(days=83), need=0.5
        ),
        "who is free, a year": lambda: find_available(
            first=today, last=today + dt.timedelta(days=365), need=0.5
        ),
        "requests to commit": lambda: pending_requests(),
        "labour cost, row by row": lambda: [costs.row_cost(a, days_off) for a in plan],
        "labour cost, all rows at once": lambda: costs.row_costs(plan, days_off),
    }
    for name, fn in cases.items():
        if args.only not in name:
            continue
        median, low, high = _time(fn, args.repeat)
        print(f"{args.label}{name:28s} median {median:8.1f} ms  min {low:8.1f}  max {high:8.1f}")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    main()

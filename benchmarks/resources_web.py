"""Capacity-planning pages benchmark: the heat map, its drill-down, staffing, a person's
allocations, scenarios, a leveling run and the resources API lists on a big demo portfolio.

The script

1. builds a fresh SQLite database with ``pmo migrate`` and ``pmo demo --projects N
   --no-serve`` (the helpers of ``benchmarks/web.py``), or takes ``--database-url`` as it is
   (a database loaded before: nothing is rebuilt);
2. adds what the demo has not, once (found by name the next time): two draft scenarios
   copied from the current plan, one project moved in the second, and a finished leveling
   run of the first (priority rules and ``--level-seconds`` of CP-SAT, run in-process);
3. requests each page in-process with the Django test client as the demo user named for it
   (``pmo``; ``director``, the resource manager, for the scenario pages; ``exec`` for a heat
   map): one warm-up, ``--requests`` timed requests (median), then one more inside
   ``CaptureQueriesContext`` for the number of SQL queries;
4. prints one line per page (median ms, queries, KiB) and a ``summary:`` line; exits 1 if a
   page answers other than 200.

Old and new code on one database (the fixtures are made by whichever tree runs first)::

    PMO_ALLOW_DEV_KEY=1 PYTHONPATH=<tree>/src .venv/bin/python benchmarks/resources_web.py \\
        --database-url sqlite:////tmp/h4/pmo.sqlite3 --requests 5

``--projects 20`` builds and measures in seconds (``tests/test_bench_resources_web.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import BENCH_DIR, _env, _pmo

SCENARIO_A = "Bench: levelled"
SCENARIO_B = "Bench: one project moved"
SLOW_MS = 500.0


@dataclass
class PageResult:
    """One page: its label, URL, user, median and every timing (ms), queries and size."""

    label: str
    url: str
    user: str
    times_ms: list[float]
    queries: int
    size: int
    status: int

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)


def build_database(projects: int) -> str:
    """A fresh SQLite database with the demo portfolio of ``projects`` projects; its URL."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"resources-{projects}.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    env = _env(url)
    _pmo("migrate", "--no-input", "-v", "0", env=env)
    seconds = _pmo("demo", "--projects", str(projects), "--no-serve", env=env)
    print(f"demo of {projects} projects loaded in {seconds:.1f} s", flush=True)
    return url


def prepare(level_seconds: int = 2, today: dt.date | None = None) -> dict[str, Any]:
    """The scenarios and the leveling run the pages show, made once (found by name later).

    Returns the ids and keys the URLs need: scenarios ``a`` (levelled) and ``b`` (one project
    moved), the ``run``, the busiest ``project`` code and ``resource`` id (most allocations),
    and the heat-map cells to drill into.
    """
    from django.db.models import Count

    from pmo.accounts.models import User
    from pmo.portfolio.models import ENDED_STATES, Project
    from pmo.resources import heatmap, leveling, services
    from pmo.resources.models import Allocation, LevelingRun, Scenario

    director = User.objects.get(username="director")
    today = today or dt.date.today()
    found = {s.name: s for s in Scenario.objects.filter(name__in=[SCENARIO_A, SCENARIO_B])}
    if SCENARIO_A not in found:
        found[SCENARIO_A] = services.create_scenario(actor=director, name=SCENARIO_A)
    a = found[SCENARIO_A]
    run = LevelingRun.objects.filter(scenario=a).order_by("-pk").first()
    if run is None:
        run = leveling.start_leveling(actor=director, scenario=a, time_limit=level_seconds)
        run = leveling.run_leveling(run.pk, today=today)
    busiest = (
        Allocation.objects.filter(scenario=None)
        .exclude(project__state__in=ENDED_STATES)
        .values("project_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "project_id")
        .first()
    )
    project = Project.objects.get(pk=busiest["project_id"]) if busiest else Project.objects.first()
    if SCENARIO_B not in found:
        found[SCENARIO_B] = services.create_scenario(actor=director, name=SCENARIO_B)
        services.shift_project(actor=director, scenario=found[SCENARIO_B], project=project, days=14)
    resource = (
        Allocation.objects.filter(scenario=None)
        .values("resource_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "resource_id")
        .first()
    )
    start = today
    cells = {}
    for by in ("role", "resource"):
        found_map = heatmap.build_heatmap(by=by, start=start, count=26, today=today)
        row, cell = max(
            ((r, c) for r in found_map.rows for c in r.cells),
            key=lambda rc: (rc[1].demand - rc[1].capacity, rc[1].demand),
        )
        cells[by] = {
            "by": by,
            "key": row.key,
            "first": cell.first.isoformat(),
            "last": cell.last.isoformat(),
            "label": row.label,
            "capacity": cell.capacity,
            "demand": cell.demand,
        }
    return {
        "a": a.pk,
        "b": found[SCENARIO_B].pk,
        "run": run.pk,
        "run_state": run.state,
        "project": project.code,
        "resource": resource["resource_id"] if resource else 1,
        "cells": cells,
    }


def pages(ids: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, user, URL) of every page measured."""
    a, b = ids["a"], ids["b"]
    heat = "/resources/heatmap/?"
    result = [
        (f"heat map by {by}, {scale}", "pmo", heat + urlencode(q))
        for by in ("role", "org_unit", "resource")
        for scale in ("week", "month")
        for q in [{"by": by, "scale": scale, "periods": 26 if scale == "week" else 12}]
    ]
    result += [
        ("heat map by role, week (exec)", "exec", heat + "by=role&periods=26"),
        ("heat map by role, scenario", "pmo", heat + f"by=role&periods=26&scenario={a}"),
        (
            "drill-down: role cell",
            "pmo",
            "/resources/heatmap/cell/?" + urlencode(ids["cells"]["role"]),
        ),
        (
            "drill-down: person cell (+ room in role)",
            "pmo",
            "/resources/heatmap/cell/?" + urlencode(ids["cells"]["resource"]),
        ),
        ("project staffing", "pmo", f"/projects/{ids['project']}/staffing/"),
        ("project staffing (director)", "director", f"/projects/{ids['project']}/staffing/"),
        (
            "scenario staffing",
            "director",
            f"/resources/scenarios/{a}/staffing/?project={ids['project']}",
        ),
        ("person's allocations", "pmo", f"/resources/{ids['resource']}/"),
        # the last page of a big pool's (a page beyond the last is the last)
        ("person's allocations, last page", "pmo", f"/resources/{ids['resource']}/?page=999"),
        ("resource list", "pmo", "/resources/"),
        ("scenario list", "director", "/resources/scenarios/"),
        ("scenario page (levelled)", "director", f"/resources/scenarios/{a}/"),
        ("scenario page (one move)", "director", f"/resources/scenarios/{b}/"),
        (
            "scenario page, a project chosen",
            "director",
            f"/resources/scenarios/{b}/?project={ids['project']}",
        ),
        # what a pick in the Move project box asks (htmx): that project's move in all
        (
            "Move project box (htmx)",
            "director",
            f"/resources/scenarios/{b}/?part=move&project={ids['project']}",
        ),
        ("scenario comparison", "director", f"/resources/scenarios/compare/?ids={a}&ids={b}"),
        ("leveling run page", "director", f"/resources/leveling-runs/{ids['run']}/"),
        ("API resources", "pmo", "/api/v1/resources"),
        ("API allocations", "pmo", "/api/v1/allocations"),
        ("API allocations of a scenario", "pmo", f"/api/v1/allocations?scenario_id={a}"),
        ("API scenarios", "pmo", "/api/v1/scenarios"),
    ]
    return result


def measure(targets: list[tuple[str, str, str]], requests: int) -> list[PageResult]:
    """Time and count each page in-process (one warm-up, ``requests`` timed, one counted)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pmo.accounts.models import User

    clients: dict[str, Client] = {}
    results = []
    for label, username, url in targets:
        if username not in clients:
            clients[username] = Client(SERVER_NAME="localhost")
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        response = client.get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results.append(
            PageResult(
                label=label,
                url=url,
                user=username,
                times_ms=times,
                queries=len(queries.captured_queries),
                size=len(response.content),
                status=response.status_code,
            )
        )
        print(_line(results[-1]), flush=True)
    return results


def _line(r: PageResult) -> str:
    return (
        f"{r.label:<42} {r.user:<9} {r.median:>9.1f} {r.queries:>8} {r.size / 1024:>8.1f}"
        f"{'' if r.status == 200 else f'  HTTP {r.status}'}  {r.url}"
    )


def main(argv: list[str] | None = None) -> int:
    """Build (or open) the database, add the scenarios and run, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=5000, help="demo projects (default 5000)")
    parser.add_argument("--requests", type=int, default=5, help="timed requests per page")
    parser.add_argument(
        "--database-url", default="", help="use this demo database as it is (no rebuild)"
    )
    parser.add_argument(
        "--level-seconds", type=int, default=2, help="CP-SAT time of the leveling run made once"
    )
    parser.add_argument("--only", default="", help="measure only the pages whose label has this")
    args = parser.parse_args(argv)
    if not 1 <= args.projects <= 100_000 or not 1 <= args.requests <= 1000:
        parser.error("--projects must be 1..100000 and --requests 1..1000")
    if not 1 <= args.level_seconds <= 600:
        parser.error("--level-seconds must be 1..600")
    url = args.database_url or build_database(args.projects)
    # this process reads that database; PYTHONPATH (if set) picks the code tree measured
    env = _env(url)
    os.environ["PMO_DATABASE_URL"] = url
    for key in ("PMO_ALLOW_DEV_KEY", "PMO_HOME"):
        os.environ.setdefault(key, env[key])
    os.environ.pop("PMO_DEBUG", None)  # measure what production serves
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    import django

    django.setup()
    import pmo

    print(f"code: {Path(pmo.__file__).parent}  database: {url}", flush=True)
    ids = prepare(args.level_seconds)
    print(f"fixtures: {ids}", flush=True)
    targets = [t for t in pages(ids) if args.only in t[0]]
    print(f"{'page':<42} {'user':<9} {'median ms':>9} {'queries':>8} {'KiB':>8}  URL")
    results = measure(targets, args.requests)
    slow = [r for r in results if r.median > SLOW_MS]
    failed = [r for r in results if r.status != 200]
    worst = max(results, key=lambda r: r.median)
    print(
        f"summary: {'FAIL' if failed else 'OK'} {len(results)} pages, worst median "
        f"{worst.median:.0f} ms ({worst.label}), over {SLOW_MS:.0f} ms: {len(slow)}, "
        f"max queries {max(r.queries for r in results)}, not 200: {len(failed)}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

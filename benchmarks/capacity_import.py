"""Capacity sheet import benchmark: a 2,000-row sheet, imported into an empty database and
then again with changes, timed and with its SQL queries counted.

The script builds a fresh SQLite database under ``var/bench/`` (``pmo migrate``), or takes
``--database-url`` (PostgreSQL: a database made for it; resources coded ``bench-*`` are
removed first), and then

1. imports sheet A (``--rows`` resources on sheet ``Resources``, one capacity change each on
   sheet ``Capacity``) into the empty plan: every resource and capacity change is new;
2. imports sheet B and sheet A in turn, ``--repeat`` times each: B changes the FTE of every
   second resource, keeps a third of the capacity changes, changes the FTE of another third
   and moves the last third to other days (removed and added);

and prints, per step, the median and the spread in ms, the SQL queries of one run and the
audit events it recorded. Old and new code on one machine, side by side::

    PMO_ALLOW_DEV_KEY=1 PYTHONPATH=<tree>/src .venv/bin/python benchmarks/capacity_import.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MON = dt.date(2027, 1, 4)


def _sheet(rows: int, variant: str) -> bytes:
    """Sheet A or B (see the module's docstring) as XLSX bytes."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Resources"
    ws.append(["code", "name", "kind", "role", "org_unit", "fte", "hours_per_day"])
    cs = book.create_sheet("Capacity")
    cs.append(["resource", "from", "to", "fte", "reason"])
    for i in range(rows):
        code = f"bench-{i:05d}"
        fte = 2 if variant == "B" and i % 2 else 1
        ws.append([code, f"Resource {i}", "pool", "Developer", "bench", fte, 8])
        first = MON + dt.timedelta(days=7 * (i % 20))
        share = 0.5
        if variant == "B" and i % 3 == 1:
            share = 0.25
        if variant == "B" and i % 3 == 2:
            first += dt.timedelta(days=200)
        cs.append([code, first, first + dt.timedelta(days=4), share, "training"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _setup(database_url: str | None) -> None:
    if database_url is None:
        path = ROOT / "var" / "bench" / "capacity_import.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    os.environ["PMO_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pmo.accounts.models import OrgUnit
    from pmo.resources.models import Resource

    # the resources of an earlier run (their audit events stay: the script counts new ones)
    Resource.objects.filter(code__startswith="bench-").delete()
    OrgUnit.objects.get_or_create(code="bench", defaults={"kind": "team", "name": "Bench"})


def _run(name: str, raw: bytes) -> tuple[float, int, int]:
    """One import of ``raw``: ms, SQL queries, audit events recorded."""
    from django.db import connection

    from pmo.audit.models import AuditEvent
    from pmo.resources import xlsx

    stream = BytesIO(raw)
    stream.name = name  # type: ignore[attr-defined]
    events = AuditEvent.objects.count()
    queries = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        xlsx.import_capacity(actor=None, stream=stream)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, queries[0], AuditEvent.objects.count() - events


def _line(label: str, runs: list[tuple[float, int, int]]) -> str:
    times = [r[0] for r in runs]
    return (
        f"{label:<34} median {statistics.median(times):8.0f} ms  "
        f"(min {min(times):.0f}, max {max(times):.0f}, n={len(times)})  "
        f"queries {runs[-1][1]:>6}  audit events {runs[-1][2]:>6}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", help="default: a fresh SQLite file under var/bench/")
    args = parser.parse_args(argv)
    _setup(args.database_url)
    a, b = _sheet(args.rows, "A"), _sheet(args.rows, "B")
    print(_line(f"A into an empty plan ({args.rows} rows)", [_run("a.xlsx", a)]), flush=True)
    to_b: list[tuple[float, int, int]] = []
    to_a: list[tuple[float, int, int]] = []
    for _ in range(args.repeat):
        to_b.append(_run("b.xlsx", b))
        to_a.append(_run("a.xlsx", a))
    print(_line("B over A (changes)", to_b))
    print(_line("A over B (changes back)", to_a))
    print(_line("A over A (nothing changes)", [_run("a.xlsx", a) for _ in range(args.repeat)]))


if __name__ == "__main__":
    sys.path.append(str(ROOT / "src"))  # PYTHONPATH=<tree>/src comes first
    main()

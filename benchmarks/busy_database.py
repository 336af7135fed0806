"""A big capacity sheet import against a concurrent writer, on a SQLite file (ADR 0008,
"Busy database").

Builds a fresh SQLite database under ``var/bench/`` (as ``capacity_import.py``), then imports
sheet A (``--rows`` new resources, one capacity change each) into the empty plan and sheet B
over it (half the resources' FTE changed, two thirds of the capacity changes changed). During
each import a second thread (its own connection, as another request of ``pmo serve``) waits
one second and then writes one row in a transaction of its own. Prints per import: its total
time, how long it held the write lock (``apply_sheet``, one ``BEGIN IMMEDIATE`` transaction),
and how long the other writer waited and whether it got through or failed ("database is
locked" after the busy timeout)::

    PMO_ALLOW_DEV_KEY=1 .venv/bin/python benchmarks/busy_database.py --rows 20000
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def _writer(started: threading.Event, out: dict[str, Any]) -> None:
    from django.db import OperationalError, connection, transaction

    from pmo.accounts.models import OrgUnit

    started.wait()
    time.sleep(1.0)  # the import is inside its transaction by now
    begin = time.perf_counter()
    try:
        with transaction.atomic():
            OrgUnit.objects.filter(code="bench").update(name=f"Bench {begin}")
        out["result"] = "written"
    except OperationalError as exc:
        out["result"] = f"failed: {exc}"
    finally:
        out["waited"] = time.perf_counter() - begin
        connection.close()


def _import(name: str, raw: bytes) -> str:
    from pmo.resources import xlsx

    held: list[float] = []
    apply = xlsx.apply_sheet
    started, out = threading.Event(), {}

    def timed(**kwargs: Any) -> Any:
        started.set()  # the writer's second counts from here: the sheet is parsed
        begin = time.perf_counter()
        try:
            return apply(**kwargs)
        finally:
            held.append(time.perf_counter() - begin)

    writer = threading.Thread(target=_writer, args=(started, out))
    stream = BytesIO(raw)
    stream.name = name  # type: ignore[attr-defined]
    xlsx.apply_sheet = timed  # type: ignore[assignment]
    begin = time.perf_counter()
    try:
        writer.start()
        xlsx.import_capacity(actor=None, stream=stream)
    finally:
        xlsx.apply_sheet = apply  # type: ignore[assignment]
        started.set()
        writer.join()
    total = time.perf_counter() - begin
    return (
        f"{name}: import {total:6.1f} s, write lock held {held[0]:6.1f} s; "
        f"the other writer waited {out['waited']:5.1f} s: {out['result']}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args(argv)
    import capacity_import

    capacity_import._setup(None)
    from django.conf import settings

    print(f"busy timeout: {settings.DATABASES['default']['OPTIONS']['init_command']}")
    a, b = capacity_import._sheet(args.rows, "A"), capacity_import._sheet(args.rows, "B")
    print(_import(f"A into an empty plan ({args.rows} rows)", a), flush=True)
    print(_import("B over A", b), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()

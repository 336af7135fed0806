"""Benchmark: the one-page steering report at 60 and 1,000 projects.

Loads the demo portfolio into a scratch SQLite database (``var/bench/onepage.sqlite3``),
then times building + rendering the page as HTML and PDF, repeated, and prints the
medians. Targets (issue #4): HTML < 1 s and PDF < 5 s for 60 projects; HTML < 3 s for
1,000 projects.

    .venv/bin/python benchmarks/onepage.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--projects", type=int, default=1000, help="size of the large portfolio")
    args = parser.parse_args(argv)
    db = ROOT / "var" / "bench" / "onepage.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["PMO_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("PMO_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pmo.accounts.models import Role, User
    from pmo.demo.loader import load_demo
    from pmo.reports.onepage.build import build_onepage
    from pmo.reports.onepage.render import render

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(projects=args.projects)
    print(
        f"demo load ({args.projects} projects): {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    reader = User(username="bench", role=Role.PMO_ADMIN, is_active=True)

    def timed(scope: str, fmt: str) -> tuple[float, int]:
        runs = []
        total = 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            page = build_onepage(reader, {"scope": scope}, language="zh-hans")
            render(page, fmt)
            runs.append(time.perf_counter() - t0)
            total = page.header.total
        return statistics.median(runs), total

    timed("strategic", "html")  # warm up templates, fonts and the database cache
    rows = [
        ("html", "strategic", 1.0),
        ("pdf", "strategic", 5.0),
        ("pptx", "strategic", None),
        ("xlsx", "strategic", None),
        ("html", "all", 3.0),
    ]
    print("format,projects,median_seconds,target_seconds")
    results = []
    for fmt, scope, target in rows:
        seconds, total = timed(scope, fmt)
        results.append((fmt, total, seconds, target))
        print(f"{fmt},{total},{seconds:.3f},{target if target else ''}")
    ok = all(target is None or seconds < target for _fmt, _n, seconds, target in results)
    summary = " ".join(f"{fmt}_{n}={seconds:.2f}s" for fmt, n, seconds, _t in results)
    print(f"summary: {summary} targets_met={'yes' if ok else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

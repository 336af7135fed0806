"""``pmo bench NAME [ARGS...]``: run an engine benchmark (``pmo bench cpm --tasks 100000``)."""

from __future__ import annotations

import argparse
import importlib
import os
from typing import Any

from django.core.management.base import CommandError, CommandParser

from pmo.core.commands import OneLineCommand, error_line

BENCHMARKS = {
    "cpm": ("pmo.bench.cpm", "critical path method: forward + backward pass vs networkx"),
    "impact": ("pmo.bench.impact", "slip-impact propagation over a portfolio network"),
    "rcpsp": ("pmo.bench.rcpsp", "resource leveling on PSPLIB instances vs best-known"),
    "rcpsp-generate": (
        "pmo.bench.progen",
        "write PSPLIB-style instances (ProGen's NC/RF/RS design, e.g. 120 jobs)",
    ),
    "portfolio-leveling": (
        "pmo.bench.portfolio_leveling",
        "multi-project leveling: CP-SAT vs the priority-rule heuristic",
    ),
}


class Command(OneLineCommand):
    help = "Run a benchmark: " + ", ".join(f"{k} ({v[1]})" for k, v in BENCHMARKS.items())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", metavar="NAME", help="|".join(BENCHMARKS))
        rest = parser.add_argument(
            "args", nargs=argparse.REMAINDER, help="arguments of the benchmark (optional)"
        )
        rest.required = False  # argparse would list it as missing beside NAME

    def run_from_argv(self, argv: list[str]) -> None:
        # Hand everything after the benchmark name to the benchmark's own parser.
        if len(argv) < 3 or argv[2].startswith("-"):
            super().run_from_argv(argv)  # --help, or the "missing name" error
            return
        try:
            self._run(argv[2], argv[3:])
        except CommandError as exc:
            self.stderr.write(error_line(f"{os.path.basename(argv[0])} {argv[1]}", exc))
            raise SystemExit(1) from None

    def handle(self, *args: Any, **options: Any) -> None:
        self._run(options["name"], options.get("args") or [])

    def _run(self, name: str, argv: list[str]) -> None:
        if name not in BENCHMARKS:
            raise CommandError(
                f"unknown benchmark {name!r}; choose one of: {', '.join(BENCHMARKS)}"
            )
        module = importlib.import_module(BENCHMARKS[name][0])
        code = module.main(argv)
        if code:
            raise SystemExit(code)

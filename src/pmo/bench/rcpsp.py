"""Benchmark the leveling engine on PSPLIB single-mode instances (``.sm`` files).

Usage::

    python -m pmo.bench.rcpsp DIR [--time-limit S] [--workers W] [--limit N]
        [--backend B] [--heuristic-only]

Prints ``instance,makespan,bound,best_known,seconds`` per instance (CSV with a
header) and one final ``summary:`` line; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from pmo.core.commands import OneLineArgumentParser
from pmo.engine.errors import EngineError
from pmo.engine.leveling import BestKnown, read_optimum, read_sm, solve
from pmo.engine.leveling.ga import warm_up
from pmo.engine.leveling.psplib import natural_key

__all__ = ["main", "summary_line"]


def _parser() -> argparse.ArgumentParser:
    p = OneLineArgumentParser(
        prog="pmo bench rcpsp",
        description="Solve PSPLIB .sm instances and compare with the best-known makespans.",
    )
    p.add_argument("dir", metavar="DIR", type=Path, help="folder of .sm files")
    p.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        metavar="S",
        help="seconds per instance (default 10)",
    )
    p.add_argument("--workers", type=int, default=2, metavar="W", help="CP-SAT workers (default 2)")
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="only the first N instances (natural order)",
    )
    p.add_argument(
        "--backend",
        choices=("cpsat", "ga", "heuristic"),
        default="cpsat",
        help="cpsat = rules, then CP-SAT racing the genetic algorithm (default); "
        "ga = the genetic algorithm alone; heuristic = priority rules only",
    )
    p.add_argument(
        "--heuristic-only", action="store_true", help="run only the priority-rule heuristic"
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the process exit code.

    Examples
    --------
    >>> main(["/no/such/dir"])  # says why on stderr
    2
    """
    args = _parser().parse_args(argv)
    folder: Path = args.dir
    if not folder.is_dir():
        print(f"pmo bench rcpsp: error: {folder} is not a folder", file=sys.stderr)
        return 2
    if args.time_limit <= 0 or args.workers < 1 or (args.limit is not None and args.limit < 1):
        print(
            "pmo bench rcpsp: error: --time-limit, --workers and --limit must be positive",
            file=sys.stderr,
        )
        return 2
    files = sorted(folder.glob("*.sm"), key=lambda f: natural_key(f.name))
    if args.limit is not None:
        files = files[: args.limit]
    if not files:
        print(f"pmo bench rcpsp: error: no .sm files in {folder}", file=sys.stderr)
        return 2
    best: dict[str, BestKnown] = {}
    optimum = folder / "optimum" / "optimum.csv"
    try:
        if optimum.is_file():
            best = read_optimum(optimum)
    except EngineError as exc:
        print(f"pmo bench rcpsp: error: {exc}", file=sys.stderr)
        return 2
    backend = "heuristic" if args.heuristic_only else args.backend
    if backend != "heuristic":
        # Like the CP-SAT import, compiling the genetic algorithm (first run on a
        # machine only) is not part of any instance's time.
        print("loading the genetic algorithm (compiled on first use only)...", file=sys.stderr)
        warm_up()
    print("instance,makespan,bound,best_known,seconds", flush=True)
    matched = 0
    gaps: list[float] = []
    seconds: list[float] = []
    for f in tqdm(files, desc=f"rcpsp {folder.name} ({backend})", unit="inst", file=sys.stderr):
        try:
            problem = read_sm(f)
            t0 = time.perf_counter()
            s = solve(
                problem,
                backend=backend,
                time_limit=args.time_limit,
                workers=args.workers,
                rng=np.random.default_rng(args.seed),
            )
            dt = time.perf_counter() - t0
        except EngineError as exc:
            print(f"pmo bench rcpsp: error: {f.name}: {exc}", file=sys.stderr)
            return 1
        bk = best.get(f.name)
        seconds.append(dt)
        if bk is not None:
            matched += s.makespan <= bk.upper
            gaps.append(100.0 * (s.makespan - bk.upper) / bk.upper)
        print(
            f"{f.name},{s.makespan},{s.bound},{'' if bk is None else bk.upper},{dt:.3f}", flush=True
        )
    if len(gaps) < len(files):
        print(
            f"note: {len(files) - len(gaps)} of {len(files)} instances have no best-known "
            f"makespan in {optimum}; matched_best_known and the mean gap count only the "
            f"{len(gaps)} others" + (" (nan: none)" if not gaps else ""),
            file=sys.stderr,
        )
    print(summary_line(len(files), matched, gaps, seconds))
    return 0


def summary_line(instances: int, matched: int, gaps: list[float], seconds: list[float]) -> str:
    """The benchmark's last line (gaps in percent, one per instance with a best-known value).

    Examples
    --------
    >>> summary_line(2, 1, [0.0, 1.5], [0.25, 0.75])
    'summary: instances=2 matched_best_known=1 mean_gap_to_best_known_pct=0.750 mean_seconds=0.500'
    """
    mean_gap = sum(gaps) / len(gaps) if gaps else float("nan")
    return (
        f"summary: instances={instances} matched_best_known={matched} "
        f"mean_gap_to_best_known_pct={mean_gap:.3f} "
        f"mean_seconds={sum(seconds) / len(seconds):.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())

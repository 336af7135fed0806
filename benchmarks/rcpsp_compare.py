"""Compare leveling runs on instances without best-known values (e.g. generated ones).

    PYTHONPATH=src .venv/bin/python benchmarks/rcpsp_compare.py DIR race=a.csv plain=b.csv ...

Each CSV is the output of ``pmo bench rcpsp`` (or ``benchmarks/plain_cpsat.py``)
on the ``.sm`` files of DIR. Per run it prints the mean percentage above the
critical-path lower bound (the measure of the Kolisch and Hartmann surveys for
PSPLIB j120), above the best makespan any of the runs found, how often it found
that best, how many results are proven optimal by the best bound any run proved,
and the mean seconds. With DIR/parameters.csv (written by
``pmo bench rcpsp-generate``) the first figure is also split by resource strength.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from pmo.engine.leveling.network import Network
from pmo.engine.leveling.psplib import read_sm


def _read(path: Path) -> dict[str, tuple[int, int, float]]:
    out = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) == 5 and row[0].endswith(".sm"):
                out[row[0]] = (int(row[1]), int(row[2]), float(row[4]))
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2 or any("=" not in a for a in argv[1:]):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    runs = {name: _read(Path(path)) for name, path in (a.split("=", 1) for a in argv[1:])}
    common = sorted(set.intersection(*(set(r) for r in runs.values())))
    if not common:
        print("error: the CSVs share no instance", file=sys.stderr)
        return 2
    cpm = {name: max(Network(read_sm(folder / name)).cpm_finish) for name in common}
    best = {i: min(r[i][0] for r in runs.values()) for i in common}
    proof = {i: max(r[i][1] for r in runs.values()) for i in common}
    rs: dict[str, str] = {}
    params = folder / "parameters.csv"
    if params.is_file():
        with params.open(newline="", encoding="utf-8") as fh:
            rs = {row["instance"]: row["rs"] for row in csv.DictReader(fh)}
    groups = sorted({rs[i] for i in common if i in rs})
    head = ["run", "above_cpm_pct", "above_best_pct", "best_found", "proven", "mean_s"]
    print(",".join(head + [f"above_cpm_pct_rs{g}" for g in groups]))
    for name, r in runs.items():
        above = {i: 100.0 * (r[i][0] - cpm[i]) / cpm[i] for i in common}
        by_group = defaultdict(list)
        for i in common:
            if i in rs:
                by_group[rs[i]].append(above[i])
        cells = [
            name,
            f"{statistics.fmean(above.values()):.2f}",
            f"{statistics.fmean(100.0 * (r[i][0] - best[i]) / best[i] for i in common):.2f}",
            f"{sum(r[i][0] == best[i] for i in common)}/{len(common)}",
            f"{sum(r[i][0] == proof[i] for i in common)}/{len(common)}",
            f"{statistics.fmean(r[i][2] for i in common):.2f}",
        ]
        print(",".join(cells + [f"{statistics.fmean(by_group[g]):.2f}" for g in groups]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Generate PSPLIB-style single-mode instances from ProGen's three parameters.

PSPLIB's j30, j60 and j120 sets were made by ProGen (Kolisch, Sprecher and
Drexl, "Characterization and generation of a general class of
resource-constrained project scheduling problems", Management Science 41(10),
1995). The j120 set, on which issue #6 says we will be measured and which is
not in the workplace data, uses 120 jobs, 4 renewable resources, durations and
demands drawn from 1..10, at most 3 start jobs, 3 finish jobs, 3 predecessors
and 3 successors per job, and a full factorial design of

* network complexity NC (arcs per node, source and sink and their arcs
  included) 1.5, 1.8, 2.1,
* resource factor RF (share of the resources a job uses) 0.25, 0.5, 0.75, 1,
* resource strength RS 0.1, 0.2, 0.3, 0.4, 0.5, where the capacity of
  resource k is ``Kmin + round(RS * (Kmax - Kmin))`` with ``Kmin`` the largest
  single demand and ``Kmax`` the peak demand of the earliest-start schedule,

10 instances per cell. Cells are numbered as in the j30 files here (NC
outermost, RS innermost: cell 1 is NC 1.5, RF 0.25 and the lowest RS). Checked
on those files: j301_1 has NC exactly 1.5, RF 0.25 and RS about 0.2 (its
cell's value) by these definitions, and no job of j30 or j60 has more than 3
predecessors or successors.

This module follows those published definitions; it is not ProGen's code and
does not reproduce PSPLIB's files. Its instances have no best-known values:
compare solvers with each other and with the critical-path bound
(``benchmarks/rcpsp_compare.py``)::

    pmo bench rcpsp-generate var/g120 --jobs 120 --per-cell 1 --seed 0
    pmo bench rcpsp var/g120 --time-limit 5 --workers 2 > var/g120-race.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from pmo.core.commands import OneLineArgumentParser
from pmo.engine.leveling.model import Activity, Precedence, Problem, Project, Resource
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.psplib import format_sm

__all__ = ["Params", "generate", "main"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """One cell of the design (ProGen's names; PSPLIB's j120 values as defaults)."""

    jobs: int = 120
    nc: float = 1.8
    rf: float = 0.5
    rs: float = 0.3
    resources: int = 4
    max_duration: int = 10
    max_demand: int = 10
    starts: int = 3
    finishes: int = 3
    max_degree: int = 3

    def check(self) -> None:
        """Raise ``ValueError`` naming the first parameter out of range."""
        if self.jobs < self.starts + self.finishes:
            raise ValueError(f"jobs: need at least {self.starts + self.finishes}, got {self.jobs}")
        if not 1.0 <= self.nc <= self.max_degree:
            raise ValueError(f"nc: must be between 1 and {self.max_degree}, got {self.nc}")
        if not 0.0 < self.rf <= 1.0:
            raise ValueError(f"rf: must be in (0, 1], got {self.rf}")
        if not 0.0 <= self.rs <= 1.0:
            raise ValueError(f"rs: must be in [0, 1], got {self.rs}")
        if min(self.resources, self.max_duration, self.max_demand, self.starts) < 1:
            raise ValueError("resources, max_duration, max_demand and starts must be >= 1")


def generate(params: Params, rng: np.random.Generator) -> tuple[Problem, float]:
    """A random instance of ``params`` and the network complexity it reached.

    Jobs are numbered in a topological order (every arc goes to a higher
    number, as in PSPLIB); job 0 is the super source and the last the sink.
    No arc is redundant (implied by a longer path). NC is met unless the
    degree limits leave no room for more arcs; the reached value is returned.

    Examples
    --------
    >>> p, nc = generate(Params(jobs=30, nc=1.5, rf=0.5, rs=0.2), np.random.default_rng(1))
    >>> len(p.activities), len(p.resources), nc
    (32, 4, 1.5)
    """
    params.check()
    n = params.jobs
    arcs = _network(params, rng)
    dur = [0, *(int(d) for d in rng.integers(1, params.max_duration + 1, size=n)), 0]
    demand = _demands(params, rng)
    zero = (0,) * params.resources
    acts = [Activity(name="1", duration=0, demands=zero)]
    acts += [
        Activity(name=str(j + 1), duration=dur[j], demands=tuple(int(x) for x in demand[j - 1]))
        for j in range(1, n + 1)
    ]
    acts.append(Activity(name=str(n + 2), duration=0, demands=zero))
    kmin = demand.max(axis=0)
    # Capacities first at Kmin (every job fits), for the earliest-start schedule.
    draft = Problem(
        resources=tuple(Resource(name=f"R{k + 1}", capacity=int(c)) for k, c in enumerate(kmin)),
        activities=tuple(acts),
        precedences=tuple(Precedence(pred=i, succ=j) for i, j in sorted(arcs)),
        projects=(Project(name="generated"),),
    )
    net = Network(draft)
    profile = np.zeros((max(net.cpm_finish), params.resources), dtype=np.int64)
    for j in range(1, n + 1):
        profile[net.es[j] : net.es[j] + dur[j]] += demand[j - 1]
    kmax = profile.max(axis=0)
    caps = [int(lo + round(params.rs * (hi - lo))) for lo, hi in zip(kmin, kmax, strict=True)]
    problem = replace(
        draft,
        resources=tuple(Resource(name=f"R{k + 1}", capacity=c) for k, c in enumerate(caps)),
    )
    return problem, round(len(arcs) / (n + 2), 3)


def _network(params: Params, rng: np.random.Generator) -> set[tuple[int, int]]:
    """Arcs between nodes ``0..jobs+1``: source, jobs ``1..jobs``, sink ``jobs+1``."""
    n, top = params.jobs, params.max_degree
    first = set(range(1, params.starts + 1))
    last = set(range(n - params.finishes + 1, n + 1))
    succ: list[set[int]] = [set() for _ in range(n + 2)]
    pred: list[set[int]] = [set() for _ in range(n + 2)]
    # Reachability as bit sets: desc[i] has bit j when a path leads from i to j.
    desc = [0] * (n + 2)
    anc = [0] * (n + 2)

    def add(i: int, j: int) -> None:
        succ[i].add(j)
        pred[j].add(i)
        below = desc[j] | (1 << j)
        above = anc[i] | (1 << i)
        for a in _bits(above):
            desc[a] |= below
        for b in _bits(below):
            anc[b] |= above

    def redundant(i: int, j: int) -> bool:
        # Already implied, or it would imply an existing arc a -> b
        # (a = i or before it, b = j or after it).
        if desc[i] >> j & 1:
            return True
        below = desc[j] | (1 << j)
        return any(
            b != j or a != i for a in _bits(anc[i] | (1 << i)) for b in succ[a] if below >> b & 1
        )

    for j in range(1, n + 1):
        if j in first:
            continue
        options = [i for i in range(1, j) if i not in last and len(succ[i]) < top]
        options = options or [i for i in range(1, j) if i not in last]
        add(int(rng.choice(options)), j)
    # Last job first: the few jobs after it must still have room for predecessors.
    for i in range(n, 0, -1):
        if i in last or succ[i]:
            continue
        later = [j for j in range(i + 1, n + 1) if j not in first]
        free = [j for j in later if not redundant(i, j)]
        options = [j for j in free if len(pred[j]) < top] or free or later
        j = int(rng.choice(options))
        # Deep in the network every later job may already be reached from an
        # ancestor of i: the new arc then replaces the arcs it implies.
        below = desc[j] | (1 << j)
        for a in _bits(anc[i]):
            for b in [b for b in succ[a] if below >> b & 1]:
                succ[a].discard(b)
                pred[b].discard(a)
        add(i, j)
    for j in first:
        add(0, j)
    for i in last:
        add(i, n + 1)
    wanted = round(params.nc * (n + 2))
    count = sum(len(s) for s in succ)
    for _ in range(200 * n):
        if count >= wanted:
            break
        i, j = sorted(int(x) for x in rng.choice(np.arange(1, n + 1), size=2, replace=False))
        if i in last or j in first or len(succ[i]) >= top or len(pred[j]) >= top:
            continue
        if j in succ[i] or redundant(i, j):
            continue
        add(i, j)
        count += 1
    return {(i, j) for i in range(n + 2) for j in succ[i]}


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _demands(params: Params, rng: np.random.Generator) -> np.ndarray:
    """Jobs x resources demands: each job uses ``RF * K`` resources on average."""
    n, m = params.jobs, params.resources
    exact = params.rf * m
    demand = np.zeros((n, m), dtype=np.int64)
    for j in range(n):
        used = int(exact) + int(rng.random() < exact - int(exact))
        used = max(1, min(m, used))
        for k in rng.choice(m, size=used, replace=False):
            demand[j, k] = rng.integers(1, params.max_demand + 1)
    for k in range(m):  # every resource is used by someone
        if not demand[:, k].any():
            demand[int(rng.integers(n)), k] = rng.integers(1, params.max_demand + 1)
    return demand


def _parser() -> argparse.ArgumentParser:
    p = OneLineArgumentParser(
        prog="pmo bench rcpsp-generate",
        description="Write PSPLIB-style .sm instances from ProGen's NC/RF/RS design.",
    )
    p.add_argument("out", metavar="OUT", type=Path, help="folder to write (new or empty)")
    p.add_argument("--jobs", type=int, default=120, help="jobs per instance (default 120)")
    p.add_argument("--per-cell", type=int, default=1, help="instances per cell (default 1)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--nc", type=float, nargs="+", default=[1.5, 1.8, 2.1], metavar="X")
    p.add_argument("--rf", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0], metavar="X")
    p.add_argument("--rs", type=float, nargs="+", default=[0.1, 0.2, 0.3, 0.4, 0.5], metavar="X")
    p.add_argument("--prefix", default=None, help="file name prefix (default g<jobs>)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Write the instances and ``parameters.csv``; return the exit code.

    Examples
    --------
    >>> main(["/tmp", "--per-cell", "0"])  # says why on stderr
    2
    """
    args = _parser().parse_args(argv)
    out: Path = args.out
    if args.per_cell < 1:
        print("pmo bench rcpsp-generate: error: --per-cell must be >= 1", file=sys.stderr)
        return 2
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(
            f"pmo bench rcpsp-generate: error: {out} exists and is not an empty folder",
            file=sys.stderr,
        )
        return 2
    prefix = args.prefix or f"g{args.jobs}"
    cells = [
        Params(jobs=args.jobs, nc=nc, rf=rf, rs=rs)
        for nc in args.nc
        for rf in args.rf
        for rs in args.rs
    ]
    try:
        for cell in cells:
            cell.check()
    except ValueError as exc:
        print(f"pmo bench rcpsp-generate: error: {exc}", file=sys.stderr)
        return 2
    rng = np.random.default_rng(args.seed)
    rows, texts = [], {}
    for c, cell in enumerate(cells, start=1):
        for k in range(1, args.per_cell + 1):
            problem, nc = generate(cell, rng)
            name = f"{prefix}{c}_{k}.sm"
            comment = f"ProGen-style, seed {args.seed}, NC {cell.nc} RF {cell.rf} RS {cell.rs}"
            texts[name] = format_sm(problem, comment=comment)
            rows.append((name, cell.nc, cell.rf, cell.rs, nc))
    out.mkdir(parents=True, exist_ok=True)  # only now: bad input leaves nothing behind
    for name, text in texts.items():
        (out / name).write_text(text, encoding="ascii")
    with (out / "parameters.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["instance", "nc", "rf", "rs", "nc_reached"])
        w.writerows(rows)
    print(f"wrote {len(rows)} instances to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

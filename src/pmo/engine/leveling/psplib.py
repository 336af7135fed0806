"""Reader of PSPLIB single-mode ``.sm`` files and of best-known makespans."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from pmo.engine.errors import InvalidInputError
from pmo.engine.leveling.model import Activity, Precedence, Problem, Project, Resource
from pmo.engine.leveling.network import Network

__all__ = ["BestKnown", "format_sm", "natural_key", "parse_sm", "read_optimum", "read_sm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BestKnown:
    """Published makespan of an instance: ``lower == upper`` when proven optimal."""

    lower: int
    upper: int

    @property
    def proven(self) -> bool:
        """Whether the optimum is known."""
        return self.lower == self.upper


def natural_key(name: str) -> list[int | str]:
    """Sort key ordering ``j30_2`` before ``j30_10``.

    Examples
    --------
    >>> sorted(["j3010_1.sm", "j302_1.sm", "j301_10.sm", "j301_2.sm"], key=natural_key)
    ['j301_2.sm', 'j301_10.sm', 'j302_1.sm', 'j3010_1.sm']
    """
    return [int(p) if p.isdecimal() else p for p in re.split(r"(\d+)", name)]


def parse_sm(text: str, name: str = "instance") -> Problem:
    """Parse the text of a single-mode PSPLIB ``.sm`` file into a :class:`Problem`.

    Jobs keep their PSPLIB order (job 1, the super source, is index 0).
    Only renewable resources are read; other resource kinds must be absent.
    Malformed text raises :class:`~pmo.engine.errors.InvalidInputError`.
    """
    lines = text.splitlines()

    def section(title: str) -> int:
        for i, line in enumerate(lines):
            if line.strip().startswith(title):
                return i
        raise InvalidInputError(f"{name}: section {title!r} not found")

    def number(label: str) -> int:
        for line in lines:
            if line.strip().startswith(label):
                found = re.findall(r"\d+", line.split(":", 1)[1])
                if found:
                    return int(found[0])
        raise InvalidInputError(f"{name}: {label!r} not found")

    try:
        n = number("jobs (incl. supersource/sink )")
        m = number("- renewable")
        if number("- nonrenewable") or number("- doubly constrained"):
            raise InvalidInputError(f"{name}: only renewable resources are supported")
        i = section("PRECEDENCE RELATIONS:") + 2
        precedences: list[Precedence] = []
        for row in lines[i : i + n]:
            f = [int(x) for x in row.split()]
            if int(f[1]) != 1:
                raise InvalidInputError(f"{name}: job {f[0]} has {f[1]} modes (single-mode only)")
            for s in f[3 : 3 + f[2]]:
                precedences.append(Precedence(pred=f[0] - 1, succ=s - 1))
        i = section("REQUESTS/DURATIONS:") + 3
        activities = []
        for row in lines[i : i + n]:
            f = [int(x) for x in row.split()]
            activities.append(Activity(name=str(f[0]), duration=f[2], demands=tuple(f[3 : 3 + m])))
        i = section("RESOURCEAVAILABILITIES:") + 2
        caps = [int(x) for x in lines[i].split()]
    except (IndexError, ValueError) as exc:
        raise InvalidInputError(f"{name}: malformed .sm file ({exc})") from exc
    if len(caps) != m or len(activities) != n:
        raise InvalidInputError(f"{name}: malformed .sm file (counts do not match)")
    return Problem(
        resources=tuple(Resource(name=f"R{k + 1}", capacity=c) for k, c in enumerate(caps)),
        activities=tuple(activities),
        precedences=tuple(precedences),
        projects=(Project(name=name),),
    )


def format_sm(problem: Problem, *, comment: str = "") -> str:
    """The text of a single-mode PSPLIB ``.sm`` file of ``problem`` (read back by :func:`parse_sm`).

    ``problem`` must look like a PSPLIB instance: activity 0 the only one
    without predecessors and the last the only one without successors (the
    super source and sink, duration 0), finish-to-start precedences without
    lags, constant capacities. Anything else raises
    :class:`~pmo.engine.errors.InvalidInputError` instead of writing a file
    that says something else.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="R1", capacity=4),),
    ...     activities=(
    ...         Activity(name="1", duration=0, demands=(0,)),
    ...         Activity(name="2", duration=3, demands=(2,)),
    ...         Activity(name="3", duration=0, demands=(0,)),
    ...     ),
    ...     precedences=(Precedence(pred=0, succ=1), Precedence(pred=1, succ=2)),
    ... )
    >>> parse_sm(format_sm(p)).activities[1]
    ... # doctest: +ELLIPSIS
    Activity(name='2', duration=3, demands=(2,), ...)
    """
    acts, res = problem.activities, problem.resources
    n, m = len(acts), len(res)
    succs: list[list[int]] = [[] for _ in range(n)]
    has_pred = [False] * n
    for p in problem.precedences:
        if p.kind != "FS" or p.lag:
            raise InvalidInputError("PSPLIB .sm: only finish-to-start precedences without lag")
        succs[p.pred].append(p.succ)
        has_pred[p.succ] = True
    if n < 2 or acts[0].duration or acts[-1].duration:
        raise InvalidInputError("PSPLIB .sm: needs a super source and sink of duration 0")
    if any(has_pred[j] != (j > 0) for j in range(n)) or any(
        bool(succs[j]) != (j < n - 1) for j in range(n)
    ):
        raise InvalidInputError(
            "PSPLIB .sm: only the source may lack predecessors, only the sink successors"
        )
    if any(r.windows for r in res):
        raise InvalidInputError("PSPLIB .sm: capacities must be constant")
    horizon = sum(a.duration for a in acts)
    cpm = max(Network(problem).cpm_finish)
    star = "*" * 72
    out = [star]
    out += [f"comment                       :  {comment}", star] if comment else []
    out += [
        "projects                      :  1",
        f"jobs (incl. supersource/sink ):  {n}",
        f"horizon                       :  {horizon}",
        "RESOURCES",
        f"  - renewable                 :  {m}   R",
        "  - nonrenewable              :  0   N",
        "  - doubly constrained        :  0   D",
        star,
        "PROJECT INFORMATION:",
        "pronr.  #jobs rel.date duedate tardcost  MPM-Time",
        f"    1{n - 2:>7}{0:>7}{cpm:>9}{0:>9}{cpm:>9}",
        star,
        "PRECEDENCE RELATIONS:",
        "jobnr.    #modes  #successors   successors",
    ]
    for j in range(n):
        tail = "".join(f"{s + 1:>4}" for s in sorted(succs[j]))
        out.append(f"{j + 1:>4}{1:>9}{len(succs[j]):>11}      {tail}")
    out += [
        star,
        "REQUESTS/DURATIONS:",
        "jobnr. mode duration" + "".join(f"  R{k + 1:>2}" for k in range(m)),
        "-" * 72,
    ]
    for j, a in enumerate(acts):
        need = "".join(f"{d:>5}" for d in a.demands)
        out.append(f"{j + 1:>4}{1:>7}{a.duration:>6}{need}")
    out += [
        star,
        "RESOURCEAVAILABILITIES:",
        "  " + "  ".join(f"R{k + 1:>2}" for k in range(m)),
        "".join(f"{r.capacity:>5}" for r in res),
        star,
    ]
    return "\n".join(out) + "\n"


def read_sm(path: Path) -> Problem:
    """Read a PSPLIB single-mode ``.sm`` file (see :func:`parse_sm`)."""
    return parse_sm(Path(path).read_text(encoding="ascii", errors="replace"), Path(path).stem)


def read_optimum(path: Path) -> dict[str, BestKnown]:
    """Read ``problem,optimum`` rows; ``L..U`` gives bounds, a number a proven optimum.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("problem,optimum\\na.sm,43\\nb.sm,84..87\\n")
    >>> read_optimum(Path(f.name))["b.sm"]
    BestKnown(lower=84, upper=87)
    >>> os.unlink(f.name)
    """
    out: dict[str, BestKnown] = {}
    with Path(path).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                value = row["optimum"].strip()
                if ".." in value:
                    lo, hi = value.split("..")
                    out[row["problem"].strip()] = BestKnown(lower=int(lo), upper=int(hi))
                else:
                    out[row["problem"].strip()] = BestKnown(lower=int(value), upper=int(value))
            except (KeyError, ValueError, AttributeError) as exc:
                raise InvalidInputError(f"{path}: bad row {row!r}") from exc
    return out

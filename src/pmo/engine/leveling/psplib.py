"""Reader of PSPLIB single-mode ``.sm`` files and of best-known makespans."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from pmo.engine.errors import InvalidInputError
from pmo.engine.leveling.model import Activity, Precedence, Problem, Project, Resource

__all__ = ["BestKnown", "natural_key", "parse_sm", "read_optimum", "read_sm"]


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
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


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

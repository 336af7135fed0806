"""The resource-leveling problem model: small frozen dataclasses indexed by integers.

Time is in integer units (periods); period ``t`` is the half-open interval
``[t, t + 1)``. An activity started at ``s`` with duration ``d`` occupies the
periods ``s, s + 1, ..., s + d - 1`` and finishes at ``s + d``.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass, field

from pmo.engine.errors import CycleError, InvalidInputError

__all__ = [
    "Activity",
    "CapacityWindow",
    "Objective",
    "Precedence",
    "Problem",
    "Project",
    "Resource",
    "Schedule",
    "Status",
]


class Objective(enum.StrEnum):
    """What a solver minimises."""

    MAKESPAN = "makespan"
    """Finish time of the last activity (one project, or the whole portfolio)."""
    WEIGHTED_DELAY = "weighted_delay"
    """Sum over projects of ``weight * max(0, finish - cpm_finish)``."""


class Status(enum.StrEnum):
    """Quality of a returned schedule."""

    OPTIMAL = "optimal"
    """The objective equals the proven lower bound."""
    FEASIBLE = "feasible"
    """A valid schedule; optimality is not proven."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityWindow:
    """Capacity ``capacity`` of a resource during the periods ``[start, end)``.

    Examples
    --------
    >>> CapacityWindow(start=10, end=20, capacity=2)
    CapacityWindow(start=10, end=20, capacity=2)
    """

    start: int
    end: int
    capacity: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise InvalidInputError(f"capacity window: need 0 <= start < end, got {self}")
        if self.capacity < 0:
            raise InvalidInputError(f"capacity window: capacity must be >= 0, got {self}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """A renewable resource (a role, a team, a machine).

    ``capacity`` is available in every period except inside ``windows``, which
    override it (holidays, a hire joining, a team lent elsewhere).

    Examples
    --------
    >>> r = Resource(name="dev", capacity=3, windows=(CapacityWindow(start=5, end=7, capacity=1),))
    >>> [r.capacity_at(t) for t in range(4, 8)]
    [3, 1, 1, 3]
    """

    name: str
    capacity: int
    windows: tuple[CapacityWindow, ...] = ()

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise InvalidInputError(f"resource {self.name!r}: capacity must be >= 0")
        ordered = sorted(self.windows, key=lambda w: w.start)
        for a, b in itertools.pairwise(ordered):
            if b.start < a.end:
                raise InvalidInputError(f"resource {self.name!r}: capacity windows overlap")
        object.__setattr__(self, "windows", tuple(ordered))

    def capacity_at(self, t: int) -> int:
        """Capacity in period ``t``."""
        for w in self.windows:
            if w.start <= t < w.end:
                return w.capacity
        return self.capacity

    @property
    def max_capacity(self) -> int:
        """Largest capacity in any period."""
        return max([self.capacity, *(w.capacity for w in self.windows)])


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """A project of a portfolio.

    ``weight`` multiplies the project's delay in the portfolio objective
    (priorities map to weights in the adapter). A ``pinned`` project keeps
    the given start of every one of its activities.
    """

    name: str
    weight: int = 1
    pinned: bool = False

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise InvalidInputError(f"project {self.name!r}: weight must be >= 0")


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """An activity with an integer duration and a demand per resource.

    ``demands[k]`` units of resource ``k`` are used in every period the activity
    runs. ``release`` is the earliest start, ``deadline`` the latest finish
    (hard). ``pinned_start`` fixes the start (an activity already under way,
    or any activity of a pinned project).

    Examples
    --------
    >>> Activity(name="design", duration=3, demands=(1, 0), project=0)
    ... # doctest: +ELLIPSIS
    Activity(name='design', duration=3, demands=(1, 0), project=0, release=0, ...)
    """

    name: str
    duration: int
    demands: tuple[int, ...]
    project: int = 0
    release: int = 0
    deadline: int | None = None
    pinned_start: int | None = None

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise InvalidInputError(f"activity {self.name!r}: duration must be >= 0")
        if any(q < 0 for q in self.demands):
            raise InvalidInputError(f"activity {self.name!r}: demands must be >= 0")
        if self.release < 0:
            raise InvalidInputError(f"activity {self.name!r}: release must be >= 0")
        if self.deadline is not None and self.deadline < self.release + self.duration:
            raise InvalidInputError(f"activity {self.name!r}: deadline before release + duration")
        if self.pinned_start is not None and self.pinned_start < 0:
            raise InvalidInputError(f"activity {self.name!r}: pinned_start must be >= 0")


_KINDS = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True, slots=True, kw_only=True)
class Precedence:
    """A minimum time lag between two activities (by index).

    ``kind`` is ``FS`` (finish-to-start, the default), ``SS``, ``FF`` or ``SF``;
    ``lag`` may be negative (a lead). ``FS`` with lag ``L`` means
    ``start[succ] >= start[pred] + duration[pred] + L``.

    Examples
    --------
    >>> Precedence(pred=0, succ=1, lag=2)
    Precedence(pred=0, succ=1, lag=2, kind='FS')
    """

    pred: int
    succ: int
    lag: int = 0
    kind: str = "FS"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise InvalidInputError(f"precedence kind must be one of {_KINDS}, got {self.kind!r}")
        if self.pred == self.succ:
            raise CycleError(f"activity {self.pred} precedes itself", [self.pred])

    def start_lag(self, durations: tuple[int, ...] | list[int]) -> int:
        """The lag as ``start[succ] - start[pred] >= value``."""
        dp, ds = durations[self.pred], durations[self.succ]
        if self.kind == "FS":
            return dp + self.lag
        if self.kind == "SS":
            return self.lag
        if self.kind == "FF":
            return dp - ds + self.lag
        return self.lag - ds


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """A single- or multi-project resource-constrained scheduling problem.

    Validated on construction: indices in range, one demand per resource,
    pinned projects pin every activity, and an acyclic precedence network
    (:class:`~pmo.engine.errors.CycleError` names a cycle otherwise).

    Examples
    --------
    >>> p = Problem(
    ...     resources=(Resource(name="dev", capacity=1),),
    ...     activities=(
    ...         Activity(name="a", duration=2, demands=(1,)),
    ...         Activity(name="b", duration=3, demands=(1,)),
    ...     ),
    ...     precedences=(),
    ... )
    >>> p.n_activities, p.objective
    (2, <Objective.MAKESPAN: 'makespan'>)
    """

    resources: tuple[Resource, ...]
    activities: tuple[Activity, ...]
    precedences: tuple[Precedence, ...] = ()
    projects: tuple[Project, ...] = (Project(name="project"),)
    objective: Objective = Objective.MAKESPAN
    topological_order: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n, m = len(self.activities), len(self.resources)
        if not self.projects:
            raise InvalidInputError("projects: at least one project is needed")
        for j, a in enumerate(self.activities):
            if len(a.demands) != m:
                raise InvalidInputError(
                    f"activities[{j}].demands: expected {m} values, got {len(a.demands)}"
                )
            if not 0 <= a.project < len(self.projects):
                raise InvalidInputError(f"activities[{j}].project: no project {a.project}")
            if self.projects[a.project].pinned and a.pinned_start is None:
                raise InvalidInputError(
                    f"activities[{j}].pinned_start: required, project "
                    f"{self.projects[a.project].name!r} is pinned"
                )
        for i, e in enumerate(self.precedences):
            if not (0 <= e.pred < n and 0 <= e.succ < n):
                raise InvalidInputError(f"precedences[{i}]: activity index out of range")
        object.__setattr__(self, "topological_order", _topological_order(n, self.precedences))

    @property
    def n_activities(self) -> int:
        """Number of activities."""
        return len(self.activities)

    @property
    def durations(self) -> tuple[int, ...]:
        """Durations by activity index."""
        return tuple(a.duration for a in self.activities)


def _topological_order(n: int, precedences: tuple[Precedence, ...]) -> tuple[int, ...]:
    succs: list[list[int]] = [[] for _ in range(n)]
    preds: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for e in precedences:
        succs[e.pred].append(e.succ)
        preds[e.succ].append(e.pred)
        indeg[e.succ] += 1
    stack = [j for j in range(n - 1, -1, -1) if indeg[j] == 0]
    order: list[int] = []
    while stack:
        i = stack.pop()
        order.append(i)
        for j in succs[i]:
            indeg[j] -= 1
            if indeg[j] == 0:
                stack.append(j)
    if len(order) < n:
        raise CycleError("the precedence network has a cycle", _find_cycle(preds, indeg))
    return tuple(order)


def _find_cycle(preds: list[list[int]], indeg: list[int]) -> list[int]:
    # An activity left with a positive in-degree has a predecessor that is left
    # too, so walking backwards along such predecessors must revisit one.
    j = next(k for k, d in enumerate(indeg) if d > 0)
    seen: dict[int, int] = {}
    path: list[int] = []
    while j not in seen:
        seen[j] = len(path)
        path.append(j)
        j = next(k for k in preds[j] if indeg[k] > 0)
    return path[seen[j] :][::-1]


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """A solver's answer: start times plus what is known about their quality.

    ``bound`` is a proven lower bound of the objective; ``status`` is
    :attr:`Status.OPTIMAL` when ``objective == bound``.
    """

    starts: tuple[int, ...]
    objective: int
    bound: int
    status: Status
    solver: str
    seconds: float
    makespan: int
    project_finish: tuple[int, ...]
    project_delay: tuple[int, ...]

    @property
    def gap(self) -> float:
        """Relative gap ``(objective - bound) / max(objective, 1)``."""
        return (self.objective - self.bound) / max(self.objective, 1)

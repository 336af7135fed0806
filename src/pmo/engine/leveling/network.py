"""Compiled arrays of a :class:`~pmo.engine.leveling.model.Problem` shared by the solvers.

Every precedence becomes a minimum start-to-start lag ``start[j] >= start[i] + delta``;
the network also holds the time windows without resources (CPM), lower bounds
and an upper bound on the horizon that any serial schedule respects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from pmo.engine.errors import InfeasibleError
from pmo.engine.leveling.model import Objective, Problem

if TYPE_CHECKING:
    from pmo.engine.leveling.kernels import Kernel

__all__ = ["Network", "conflicts", "energy_bounds", "lower_bound"]

IntArray = npt.NDArray[np.int64]


class Network:
    """Arrays and graph of a problem (built once, read by every algorithm).

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=1),),
    ...     activities=(
    ...         Activity(name="a", duration=2, demands=(1,)),
    ...         Activity(name="b", duration=3, demands=(1,)),
    ...     ),
    ...     precedences=(Precedence(pred=0, succ=1, lag=1),),
    ... )
    >>> net = Network(p)
    >>> net.es, net.tail, net.cpm_finish
    ([0, 3], [6, 3], (6,))
    """

    __slots__ = (
        "cpm_finish",
        "deadline",
        "demand",
        "dur",
        "es",
        "horizon",
        "kernel",
        "m",
        "max_capacity",
        "n",
        "order",
        "pinned",
        "pred",
        "problem",
        "project",
        "release",
        "succ",
        "tail",
        "uses",
        "weights",
    )

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        acts = problem.activities
        self.n = n = len(acts)
        self.m = m = len(problem.resources)
        self.dur: list[int] = [a.duration for a in acts]
        self.demand: IntArray = np.array([a.demands for a in acts], dtype=np.int64).reshape(n, m)
        self.release: list[int] = [a.release for a in acts]
        self.deadline: list[int | None] = [a.deadline for a in acts]
        self.pinned: list[int | None] = [a.pinned_start for a in acts]
        self.project: list[int] = [a.project for a in acts]
        self.weights: list[int] = [p.weight for p in problem.projects]
        self.uses: list[IntArray] = [np.flatnonzero(self.demand[j]) for j in range(n)]
        self.max_capacity: list[int] = [r.max_capacity for r in problem.resources]
        self.succ: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.pred: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for e in problem.precedences:
            delta = e.start_lag(self.dur)
            self.succ[e.pred].append((e.succ, delta))
            self.pred[e.succ].append((e.pred, delta))
        self.order: list[int] = list(problem.topological_order)
        for j in range(n):
            if self.dur[j] > 0:
                for k in self.uses[j]:
                    if self.demand[j, k] > self.max_capacity[k]:
                        raise InfeasibleError(
                            f"activity {acts[j].name!r} needs {self.demand[j, k]} of "
                            f"{problem.resources[k].name!r}, capacity is at most "
                            f"{self.max_capacity[k]}"
                        )
        self.es = self._earliest_starts()
        self._pinned_links()
        self.tail = self._tails()
        finish = [0] * len(problem.projects)
        for j in range(n):
            finish[self.project[j]] = max(finish[self.project[j]], self.es[j] + self.dur[j])
        self.cpm_finish: tuple[int, ...] = tuple(finish)
        latest = max(
            [0, *self.release, *(w.end for r in problem.resources for w in r.windows)]
            + [p + d for p, d in zip(self.pinned, self.dur, strict=True) if p is not None]
        )
        positive = sum(max(0, d) for lst in self.succ for _, d in lst)
        self.horizon: int = latest + sum(self.dur) + positive + 1
        self.kernel: Kernel | None = None
        """The compiled form (:func:`pmo.engine.leveling.kernels.kernel_of`), built on use."""

    def _earliest_starts(self) -> list[int]:
        es = list(self.release)
        for j in self.order:
            if self.pinned[j] is not None:
                es[j] = self.pinned[j]  # type: ignore[assignment]
            for i, delta in self.pred[j]:
                es[j] = max(es[j], es[i] + delta)
        return es

    def _pinned_links(self) -> None:
        """A pinned activity's predecessors must make way: a deadline for each unpinned one.

        An unpinned predecessor ``i`` of an activity pinned at ``p`` must start by
        ``p - delta``, i.e. finish by ``p - delta + dur[i]``: that becomes (or tightens)
        its deadline, which every back-end respects. Links that no schedule can keep
        raise :class:`~pmo.engine.errors.InfeasibleError` naming both activities.
        """
        acts = self.problem.activities
        for j in range(self.n):
            pinned = self.pinned[j]
            if pinned is None:
                continue
            for i, delta in self.pred[j]:
                latest = pinned - delta
                if self.es[i] > latest:
                    raise InfeasibleError(
                        f"activity {acts[j].name!r} is pinned at {pinned}, but its predecessor "
                        f"{acts[i].name!r} cannot start before {self.es[i]} "
                        f"(it would have to start by {latest})"
                    )
                if self.pinned[i] is None:
                    finish = latest + self.dur[i]
                    current = self.deadline[i]
                    self.deadline[i] = finish if current is None else min(current, finish)

    def _tails(self) -> list[int]:
        """Longest path from the start of each activity to the end of the schedule."""
        tail = list(self.dur)
        for i in reversed(self.order):
            for j, delta in self.succ[i]:
                tail[i] = max(tail[i], delta + tail[j])
        return tail

    def latest_starts(self, top: int) -> list[int]:
        """Latest starts without resources for a schedule ending by ``top`` (and deadlines)."""
        ls = [top - t for t in self.tail]
        for j in reversed(self.order):
            dl = self.deadline[j]
            if dl is not None:
                ls[j] = min(ls[j], dl - self.dur[j])
            for k, delta in self.succ[j]:
                ls[j] = min(ls[j], ls[k] - delta)
        return ls

    def capacity(self, length: int) -> IntArray:
        """Capacity per resource and period over ``[0, length)``, shape ``(m, length)``."""
        cap = np.empty((self.m, length), dtype=np.int64)
        for k, r in enumerate(self.problem.resources):
            cap[k, :] = r.capacity
            for w in r.windows:
                if w.start < length:
                    cap[k, w.start : min(w.end, length)] = w.capacity
        return cap

    def evaluate(
        self, starts: list[int] | tuple[int, ...]
    ) -> tuple[int, int, list[int], list[int]]:
        """Objective, makespan, finish and delay per project of ``starts``."""
        nproj = len(self.weights)
        finish = [0] * nproj
        for j in range(self.n):
            f = starts[j] + self.dur[j]
            if f > finish[self.project[j]]:
                finish[self.project[j]] = f
        delay = [max(0, f - c) for f, c in zip(finish, self.cpm_finish, strict=True)]
        makespan = max(finish, default=0)
        if self.problem.objective is Objective.MAKESPAN:
            return makespan, makespan, finish, delay
        return sum(w * d for w, d in zip(self.weights, delay, strict=True)), makespan, finish, delay


def energy_bounds(net: Network, limit: int = 3000) -> tuple[list[int], list[int]]:
    """Precedence-energy bounds per activity: ``(head, rest)``.

    ``head[j]``: the activities that must finish before ``j`` starts (through
    finish-to-start chains) need at least this long on some resource, so
    ``start[j] >= head[j]``. ``rest[j]``: ``j`` and everything that must start
    after it need this long, so ``makespan >= start[j] + rest[j]``. Both use
    each resource's largest capacity, so they hold under capacity profiles.
    Empty lists above ``limit`` activities.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=2),),
    ...     activities=tuple(Activity(name=str(j), duration=2, demands=(2,)) for j in range(3)),
    ...     precedences=(Precedence(pred=0, succ=1), Precedence(pred=0, succ=2)),
    ... )
    >>> energy_bounds(Network(p))
    ([0, 2, 2], [6, 2, 2])
    """
    n = net.n
    if n > limit or net.m == 0:
        return [], []
    before = [0] * n  # bitsets of activities finishing before j starts
    after = [0] * n  # bitsets of activities starting at or after j starts
    for j in net.order:
        for i, delta in net.pred[j]:
            if delta >= net.dur[i]:
                before[j] |= before[i] | (1 << i)
    for i in reversed(net.order):
        after[i] |= 1 << i
        for j, delta in net.succ[i]:
            if delta >= 0:
                after[i] |= after[j]
    energy = net.demand * np.array(net.dur, dtype=np.int64)[:, None]
    caps = np.array([max(c, 1) for c in net.max_capacity], dtype=np.int64)

    def bound(bits: int) -> int:
        members = [k for k in range(n) if bits >> k & 1]
        if not members:
            return 0
        total = energy[members].sum(axis=0)
        return int(max(0, *(-(-total // caps))))

    return [bound(b) for b in before], [max(net.tail[j], bound(after[j])) for j in range(n)]


def conflicts(net: Network) -> npt.NDArray[np.bool_]:
    """``n x n`` matrix: can activities ``i`` and ``j`` never run at the same time?

    True when their demands on some resource add up above its largest capacity.
    """
    clash = np.zeros((net.n, net.n), dtype=bool)
    for k, cap in enumerate(net.max_capacity):
        col = net.demand[:, k]
        clash |= (col[:, None] + col[None, :]) > cap
    return clash


def lower_bound(net: Network) -> int:
    """A lower bound of the makespan: critical path, resource energy and disjunctive cliques.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=2),),
    ...     activities=tuple(Activity(name=str(j), duration=3, demands=(1,)) for j in range(5)),
    ... )
    >>> lower_bound(Network(p))
    8
    """
    if net.n == 0:
        return 0
    lb = max(e + t for e, t in zip(net.es, net.tail, strict=True))
    head, rest = energy_bounds(net)
    if head:
        lb = max(lb, max(max(h, e) + r for h, e, r in zip(head, net.es, rest, strict=True)))
    dur = np.array(net.dur, dtype=np.int64)
    energy = dur @ net.demand if net.m else np.zeros(0, dtype=np.int64)
    cap = net.capacity(net.horizon)
    cumulative = np.cumsum(cap, axis=1)
    for k in range(net.m):
        if energy[k] > 0:
            lb = max(lb, int(np.searchsorted(cumulative[k], energy[k])) + 1)
    # Activities that pairwise cannot run together form a clique: their
    # durations add up. Grown greedily from the longest activities.
    if net.m and net.n <= 1000:
        clash = conflicts(net)
        active = dur > 0
        for seed in np.argsort(-dur, kind="stable")[: min(net.n, 20)]:
            if not active[seed]:
                continue
            clique = [int(seed)]
            mask: npt.NDArray[np.bool_] = clash[seed] & active
            for j in np.argsort(-dur, kind="stable"):
                if mask[j] and j != seed:
                    clique.append(int(j))
                    mask &= clash[j]
            lb = max(lb, min(net.release[j] for j in clique) + int(dur[clique].sum()))
    return lb

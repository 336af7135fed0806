"""Schedule generation schemes (serial and parallel), priority rules and justification.

These are the classic constructive heuristics for resource-constrained project
scheduling (Kolisch 1996; Kolisch and Hartmann 1999): an activity list or a
priority rule is decoded into a schedule by placing one activity at a time at
its earliest precedence- and resource-feasible start. Forward-backward
improvement (Valls, Ballestin and Quintanilla 2005) then right- and
left-justifies the schedule, which never makes the makespan worse.
"""

from __future__ import annotations

import heapq

import numpy as np

from pmo.engine.errors import InfeasibleError
from pmo.engine.leveling.network import IntArray, Network

__all__ = [
    "RULES",
    "activity_list",
    "justify",
    "parallel_sgs",
    "priorities",
    "serial_sgs",
]

RULES = ("LFT", "LST", "MTS", "GRPW", "WLFT")
"""Priority rules; smaller value = scheduled first (rules to maximise are negated)."""


def priorities(net: Network, rule: str) -> list[float]:
    """Priority value of every activity under ``rule`` (smaller goes first).

    ``LFT``/``LST``: latest finish/start without resources; ``MTS``: most total
    successors; ``GRPW``: greatest rank positional weight; ``WLFT``: LFT
    measured against the activity's own project CPM date, shifted earlier for
    heavier projects (portfolio objective).

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Precedence, Problem, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=1),),
    ...     activities=tuple(Activity(name=str(j), duration=2, demands=(1,)) for j in range(3)),
    ...     precedences=(Precedence(pred=0, succ=1),),
    ... )
    >>> priorities(Network(p), "LFT"), priorities(Network(p), "MTS")
    ([2.0, 4.0, 4.0], [-1.0, 0.0, 0.0])
    """
    n, top = net.n, max([e + t for e, t in zip(net.es, net.tail, strict=True)], default=0)
    if rule in ("LFT", "LST"):
        ls = net.latest_starts(top)
        if rule == "LST":
            return [float(v) for v in ls]
        return [float(s + d) for s, d in zip(ls, net.dur, strict=True)]
    if rule == "MTS":
        below: list[set[int]] = [set() for _ in range(n)]
        for i in reversed(net.order):
            for j, _ in net.succ[i]:
                below[i].add(j)
                below[i] |= below[j]
        return [float(-len(s)) for s in below]
    if rule == "GRPW":
        return [float(-net.dur[j] - sum(net.dur[k] for k, _ in net.succ[j])) for j in range(n)]
    if rule == "WLFT":
        wmax = max(net.weights, default=1) or 1
        cpm = net.cpm_finish
        ls_proj = [0.0] * n
        for j in range(n):
            p = net.project[j]
            # Latest finish against the project's own CPM date: the slack left.
            slack = cpm[p] - (net.es[j] + net.tail[j])
            ls_proj[j] = float(net.es[j] + net.dur[j] + slack) - 0.5 * (
                cpm[p] * net.weights[p] / wmax
            )
        return ls_proj
    raise ValueError(f"unknown priority rule {rule!r}")


def activity_list(
    net: Network, prio: list[float], rng: np.random.Generator | None = None, alpha: float = 1.0
) -> list[int]:
    """A precedence-feasible activity list: the best eligible activity first.

    With ``rng``, regret-based biased random sampling picks an eligible
    activity with probability proportional to ``(regret + 1) ** alpha``.
    """
    if rng is None:
        return _ordered(net, prio)
    left = [len(net.pred[j]) for j in range(net.n)]
    eligible = [j for j in range(net.n) if left[j] == 0]
    out: list[int] = []
    while eligible:
        if len(eligible) == 1:
            k = 0
        else:
            vals = np.array([prio[j] for j in eligible])
            w = (vals.max() - vals + 1.0) ** alpha
            k = int(rng.choice(len(eligible), p=w / w.sum()))
        j = eligible.pop(k)
        out.append(j)
        for s, _ in net.succ[j]:
            left[s] -= 1
            if left[s] == 0:
                eligible.append(s)
    return out


def _fit(avail: IntArray, net: Network, j: int, es: int, limit: int | None = None) -> int:
    """Earliest start >= ``es`` where activity ``j`` fits ``avail`` (-1 if none <= limit)."""
    d, uses = net.dur[j], net.uses[j]
    if d == 0 or uses.size == 0:
        return es if limit is None or es <= limit else -1
    horizon = avail.shape[1]
    need = net.demand[j, uses][:, None]
    t = es
    width = max(4 * d, 64)
    while True:
        stop = min(horizon, t + width)
        if stop - t < d:
            return -1
        bad = np.flatnonzero((avail[uses, t:stop] < need).any(axis=0))
        pos = 0
        while True:
            i = int(np.searchsorted(bad, pos))
            if i == bad.size or bad[i] >= pos + d:
                if t + pos + d <= stop:
                    s = t + pos
                    return s if limit is None or s <= limit else -1
                break
            pos = int(bad[int(np.searchsorted(bad, pos + d)) - 1]) + 1
            if t + pos + d > stop:
                break
        if stop == horizon or (limit is not None and t + pos > limit):
            return -1
        t += pos
        width *= 2


def _place(avail: IntArray, net: Network, j: int, s: int) -> None:
    uses = net.uses[j]
    if uses.size and net.dur[j]:
        avail[uses, s : s + net.dur[j]] -= net.demand[j, uses][:, None]


def _pinned(net: Network, avail: IntArray, starts: list[int]) -> None:
    for j in range(net.n):
        p = net.pinned[j]
        if p is not None:
            starts[j] = p
            _place(avail, net, j, p)
    if net.n and (avail < 0).any():
        raise InfeasibleError("pinned activities alone exceed a resource's capacity")


def serial_sgs(net: Network, order: list[int]) -> list[int]:
    """Decode a precedence-feasible activity list with the serial scheme.

    Pinned activities keep their start; every other activity goes, in list
    order, to its earliest precedence- and capacity-feasible start.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Problem, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=1),),
    ...     activities=tuple(Activity(name=str(j), duration=2, demands=(1,)) for j in range(3)),
    ... )
    >>> serial_sgs(Network(p), [2, 0, 1])
    [2, 4, 0]
    """
    avail = net.capacity(net.horizon)
    starts = [-1] * net.n
    _pinned(net, avail, starts)
    for j in order:
        if net.pinned[j] is not None:
            continue
        es = net.release[j]
        for i, delta in net.pred[j]:
            es = max(es, starts[i] + delta)
        s = _fit(avail, net, j, es)
        if s < 0:
            raise InfeasibleError(f"activity {net.problem.activities[j].name!r} fits nowhere")
        starts[j] = s
        _place(avail, net, j, s)
    return starts


def parallel_sgs(net: Network, prio: list[float]) -> list[int]:
    """The parallel scheme: at each decision time start what fits, best priority first.

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Problem, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=2),),
    ...     activities=tuple(Activity(name=str(j), duration=2, demands=(1,)) for j in range(3)),
    ... )
    >>> parallel_sgs(Network(p), [0.0, 1.0, 2.0])
    [0, 0, 2]
    """
    avail = net.capacity(net.horizon)
    starts = [-1] * net.n
    _pinned(net, avail, starts)
    left = [len(net.pred[j]) for j in range(net.n)]
    ready: list[tuple[int, float, int]] = []  # (earliest start, priority, activity)
    events: list[int] = sorted(
        {w for r in net.problem.resources for x in r.windows for w in (x.start, x.end)}
    )
    finishes: list[int] = []
    todo = net.n

    def release(j: int) -> None:
        for s, _ in net.succ[j]:
            left[s] -= 1
            if left[s] == 0:
                if net.pinned[s] is not None:
                    release(s)
                else:
                    es = net.release[s]
                    for i, delta in net.pred[s]:
                        es = max(es, starts[i] + delta)
                    ready.append((es, prio[s], s))

    for j in range(net.n):
        if net.pinned[j] is not None:
            todo -= 1
    for j in range(net.n):
        if left[j] == 0:
            if net.pinned[j] is not None:
                release(j)
            else:
                ready.append((net.release[j], prio[j], j))
    t = min((r[0] for r in ready), default=0)
    while todo:
        ready.sort(key=lambda r: (r[1], r[2]))
        started = False
        for item in list(ready):
            es, _, j = item
            if es <= t and _fit(avail, net, j, t, limit=t) == t:
                starts[j] = t
                _place(avail, net, j, t)
                ready.remove(item)
                todo -= 1
                heapq.heappush(finishes, t + net.dur[j])
                release(j)
                started = True
        if started:
            continue
        while finishes and finishes[0] <= t:
            heapq.heappop(finishes)
        nxt = [r[0] for r in ready if r[0] > t]
        if finishes:
            nxt.append(finishes[0])
        nxt.extend(e for e in events if e > t)
        if not nxt:
            nxt.append(t + 1)
        t = min(nxt)
        if t >= net.horizon:
            raise InfeasibleError("the parallel scheme ran past the horizon")
    return starts


def _backward(net: Network, starts: list[int], total: int) -> list[int] | None:
    """Right-justify ``starts`` inside ``[0, total)`` (None if a release blocks it)."""
    # Reversed time: period t' is period total - 1 - t'. Periods before 0 get
    # no capacity, so nothing starts before time 0.
    cap = net.capacity(total)
    avail = np.zeros((net.m, net.horizon + total), dtype=np.int64)
    avail[:, :total] = cap[:, ::-1]
    rev = [-1] * net.n
    for j in range(net.n):
        p = net.pinned[j]
        if p is not None:
            rev[j] = total - p - net.dur[j]
            _place(avail, net, j, rev[j])
    order = _ordered(net, [-(s + d) for s, d in zip(starts, net.dur, strict=True)], True)
    for j in order:
        if net.pinned[j] is not None:
            continue
        es = 0
        dl = net.deadline[j]
        if dl is not None:
            es = max(es, total - dl)
        for s, delta in net.succ[j]:
            # start[s] >= start[j] + delta  <=>  rev[j] >= rev[s] + dur[s] - dur[j] + delta
            es = max(es, rev[s] + net.dur[s] - net.dur[j] + delta)
        s_rev = _fit(avail, net, j, es, limit=total - net.dur[j] - net.release[j])
        if s_rev < 0:
            return None
        rev[j] = s_rev
        _place(avail, net, j, s_rev)
    return [total - r - d for r, d in zip(rev, net.dur, strict=True)]


def justify(net: Network, starts: list[int], rounds: int = 3) -> list[int]:
    """Forward-backward improvement: alternate right- and left-justification.

    Returns the best schedule seen by the objective of the problem (never
    worse than ``starts``).

    Examples
    --------
    >>> from pmo.engine.leveling.model import Activity, Problem, Resource
    >>> p = Problem(
    ...     resources=(Resource(name="r", capacity=1),),
    ...     activities=tuple(Activity(name=str(j), duration=2, demands=(1,)) for j in range(2)),
    ... )
    >>> justify(Network(p), [0, 5])
    [0, 2]
    """
    best, best_key = starts, _key(net, starts)
    current = starts
    for _ in range(rounds):
        total = max((s + d for s, d in zip(current, net.dur, strict=True)), default=0)
        right = _backward(net, current, total)
        if right is None:
            break
        current = serial_sgs(net, _ordered(net, right))
        key = _key(net, current)
        if key >= best_key:
            break
        best, best_key = current, key
    return best


def _ordered(net: Network, key: list[int] | list[float], backward: bool = False) -> list[int]:
    """A topological (or reverse topological) order taking the smallest key first."""
    left = [len(net.succ[j] if backward else net.pred[j]) for j in range(net.n)]
    heap = [(key[j], j) for j in range(net.n) if left[j] == 0]
    heapq.heapify(heap)
    out: list[int] = []
    while heap:
        _, j = heapq.heappop(heap)
        out.append(j)
        for i, _ in net.pred[j] if backward else net.succ[j]:
            left[i] -= 1
            if left[i] == 0:
                heapq.heappush(heap, (key[i], i))
    return out


def _key(net: Network, starts: list[int]) -> tuple[int, int, int]:
    late = sum(
        max(0, s + d - dl)
        for s, d, dl in zip(starts, net.dur, net.deadline, strict=True)
        if dl is not None
    )
    obj, makespan, _, _ = net.evaluate(starts)
    return late, obj, makespan

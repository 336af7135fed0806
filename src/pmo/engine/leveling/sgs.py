"""Schedule generation schemes (serial and parallel), priority rules and justification.

These are the classic constructive heuristics for resource-constrained project
scheduling (Kolisch 1996; Kolisch and Hartmann 1999): an activity list or a
priority rule is decoded into a schedule by placing one activity at a time at
its earliest precedence- and resource-feasible start. Forward-backward
improvement (Valls, Ballestin and Quintanilla 2005) then right- and
left-justifies the schedule, which never makes the makespan worse.

The decoding runs in the compiled kernels of :mod:`pmo.engine.leveling.kernels`;
this module is their interface on lists, plus the priority rules.
"""

from __future__ import annotations

import numpy as np

from pmo.engine.errors import InfeasibleError
from pmo.engine.leveling.kernels import justify as justify_kernel
from pmo.engine.leveling.kernels import kernel_of, parallel, score, serial, topo_by_key
from pmo.engine.leveling.network import Network

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
        kernel = kernel_of(net)
        order = np.empty(net.n, dtype=np.int64)
        topo_by_key(
            np.asarray(prio, dtype=np.float64),
            kernel.pred_ptr,
            kernel.succ_ptr,
            kernel.succ_idx,
            order,
        )
        return [int(j) for j in order]
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
    k = kernel_of(net)
    starts = np.full(net.n, -1, dtype=np.int64)
    failed = serial(np.asarray(order, dtype=np.int64), starts, k.arrays(), k.cap.copy())
    if failed >= 0:
        raise InfeasibleError(f"activity {net.problem.activities[failed].name!r} fits nowhere")
    return [int(s) for s in starts]


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
    k = kernel_of(net)
    starts = np.empty(net.n, dtype=np.int64)
    if not parallel(np.asarray(prio, dtype=np.float64), k.events, starts, k.arrays(), k.cap.copy()):
        raise InfeasibleError("the parallel scheme ran past the horizon")
    return [int(s) for s in starts]


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
    k = kernel_of(net)
    g = k.arrays()
    out = np.asarray(starts, dtype=np.int64).copy()
    fit = np.empty(3, dtype=np.int64)
    score(out, g, fit)
    justify_kernel(out, fit, rounds, k.cap.copy(), g)
    return [int(s) for s in out]

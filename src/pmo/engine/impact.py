"""Slip-impact propagation over a network of dated items (tasks, milestones, gates, projects).

The network is a DAG in integer working days. Each edge ``u -> v`` carries a *slack*: how
many working days ``u`` may slip before ``v`` has to move (the free float of a schedule link,
the room between a supplier's date and the date agreed with its consumer). A delay ``d`` of
``u`` moves ``v`` by ``max(0, d - slack)``; a node moves by the largest push it receives.

:func:`build_network` sorts the network once (Kahn, refusing cycles); :func:`propagate`
then answers a "what if" by sweeping only the affected subgraph in topological order
(a heap keyed by topological rank), so each moved node is settled exactly once and
nothing that absorbs the delay in its float is visited beyond its first edge.

>>> net = build_network(4, src=[0, 1, 0], dst=[1, 2, 3], slack=[0, 2, 10])
>>> propagate(net, {0: 5})
{0: 5, 1: 5, 2: 3}
>>> driving_path(net, 2)  # 1 -> 2 has 2 days of slack: node 2 is not driven
[2]
>>> driving_path(net, 1)
[0, 1]
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pmo.engine.errors import CycleError, InvalidInputError

__all__ = ["ImpactNetwork", "build_network", "driving_path", "propagate"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactNetwork:
    """A sorted impact network: forward and backward adjacency (CSR) and topological ranks.

    Build it with :func:`build_network`; the fields are plain lists so that the sweep in
    :func:`propagate` indexes them at Python speed.
    """

    n: int
    rank: list[int]
    out_ptr: list[int]
    out_dst: list[int]
    out_slack: list[int]
    in_ptr: list[int]
    in_src: list[int]
    in_slack: list[int]


def _csr(n: int, key: IntArray, other: IntArray, slack: IntArray) -> tuple[IntArray, ...]:
    order = np.argsort(key, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=n), out=ptr[1:])
    return ptr, other[order], slack[order]


def build_network(
    n: int,
    *,
    src: Sequence[int] | IntArray,
    dst: Sequence[int] | IntArray,
    slack: Sequence[int] | IntArray,
) -> ImpactNetwork:
    """Index ``n`` nodes and the edges ``src[i] -> dst[i]`` with ``slack[i]`` working days.

    Negative slack is treated as 0 (the successor is already late: any slip moves it).
    Raises :class:`InvalidInputError` for bad indices and :class:`CycleError` (naming the
    nodes left on a cycle) when the edges are not acyclic.
    """
    if n < 0:
        raise InvalidInputError("n must be >= 0")
    s = np.asarray(src, dtype=np.int64)
    d = np.asarray(dst, dtype=np.int64)
    k = np.maximum(np.asarray(slack, dtype=np.int64), 0)
    if not (s.shape == d.shape == k.shape) or s.ndim != 1:
        raise InvalidInputError("src, dst and slack must be 1-d and of the same length")
    if s.size and (min(s.min(), d.min()) < 0 or max(s.max(), d.max()) >= n):
        raise InvalidInputError(f"edge endpoints must be node indices in 0..{n - 1}")
    if s.size and bool((s == d).any()):
        raise CycleError("an item cannot depend on itself", [int(s[s == d][0])])
    out_ptr, out_dst, out_slack = _csr(n, s, d, k)
    in_ptr, in_src, in_slack = _csr(n, d, s, k)
    # Kahn's algorithm on plain lists (fast enough for a million edges, and it finds cycles).
    indeg = np.diff(in_ptr).tolist()
    optr, odst = out_ptr.tolist(), out_dst.tolist()
    rank = [-1] * n
    stack = [v for v in range(n) if indeg[v] == 0]
    r = 0
    while stack:
        u = stack.pop()
        rank[u] = r
        r += 1
        for e in range(optr[u], optr[u + 1]):
            v = odst[e]
            indeg[v] -= 1
            if indeg[v] == 0:
                stack.append(v)
    if r < n:
        left = [v for v in range(n) if rank[v] < 0]
        raise CycleError(f"the dependencies form a cycle through {len(left)} items", left)
    return ImpactNetwork(
        n=n,
        rank=rank,
        out_ptr=optr,
        out_dst=odst,
        out_slack=out_slack.tolist(),
        in_ptr=in_ptr.tolist(),
        in_src=in_src.tolist(),
        in_slack=in_slack.tolist(),
    )


def propagate(network: ImpactNetwork, delays: Mapping[int, int]) -> dict[int, int]:
    """Every node that moves, with its delay in working days, for the given source delays.

    ``delays`` maps node indices to a slip (> 0). Only nodes whose delay exceeds the
    slack of an incoming edge are reported (sources included).
    """
    moved: dict[int, int] = {}
    heap: list[tuple[int, int]] = []
    rank = network.rank
    for node, delay in delays.items():
        if not 0 <= node < network.n:
            raise InvalidInputError(f"node {node} is not in the network")
        if delay < 0:
            raise InvalidInputError(f"delay of node {node} must be >= 0")
        if delay > moved.get(node, 0):
            moved[node] = int(delay)
            heapq.heappush(heap, (rank[node], node))
    ptr, dst, slack = network.out_ptr, network.out_dst, network.out_slack
    settled: set[int] = set()
    while heap:
        _, u = heapq.heappop(heap)
        if u in settled:
            continue
        settled.add(u)
        d = moved[u]
        for e in range(ptr[u], ptr[u + 1]):
            push = d - slack[e]
            if push > 0:
                v = dst[e]
                if push > moved.get(v, 0):
                    if v not in moved:
                        heapq.heappush(heap, (rank[v], v))
                    moved[v] = push
    return moved


def driving_path(network: ImpactNetwork, target: int) -> list[int]:
    """The chain of items that drives ``target``'s date: from a start to ``target``.

    Walks back along the incoming edge with the least slack while that slack is 0
    (a binding link); ties go to the predecessor latest in topological order.
    """
    if not 0 <= target < network.n:
        raise InvalidInputError(f"node {target} is not in the network")
    path = [target]
    node = target
    ptr, src, slack = network.in_ptr, network.in_src, network.in_slack
    while True:
        best = -1
        for e in range(ptr[node], ptr[node + 1]):
            if slack[e] == 0 and (best < 0 or network.rank[src[e]] > network.rank[best]):
                best = src[e]
        if best < 0:
            break
        path.append(best)
        node = best
    path.reverse()
    return path

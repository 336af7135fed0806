"""The network as the compiled kernels take it: flat arrays built once per network.

:func:`kernel_of` builds a :class:`Kernel` (CSR adjacency, demands, capacity
profile, deadlines, pinned starts) and keeps it with the network;
:meth:`Kernel.arrays` hands the arrays to the kernels as one :class:`Arrays`
struct.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from pmo.engine.errors import InfeasibleError
from pmo.engine.leveling.model import Objective
from pmo.engine.leveling.network import Network

__all__ = ["I64", "NONE", "Arrays", "Kernel", "kernel_of"]

I64 = npt.NDArray[np.int64]
NONE = -1
"""No deadline / not pinned, in the arrays."""


class Arrays(NamedTuple):
    """The network as the compiled kernels take it (numba passes it as one struct)."""

    dur: I64
    demand: I64
    release: I64
    deadline: I64
    pinned: I64
    pred_ptr: I64
    pred_idx: I64
    pred_delta: I64
    succ_ptr: I64
    succ_idx: I64
    succ_delta: I64
    uses_ptr: I64
    uses_idx: I64
    cap: I64
    project: I64
    weights: I64
    cpm_finish: I64
    makespan_objective: bool


class Kernel:
    """The network as flat arrays for the compiled kernels."""

    __slots__ = (
        "cap",
        "cpm_finish",
        "deadline",
        "demand",
        "dur",
        "events",
        "makespan_objective",
        "n",
        "pinned",
        "pred_delta",
        "pred_idx",
        "pred_ptr",
        "project",
        "release",
        "succ_delta",
        "succ_idx",
        "succ_ptr",
        "uses_idx",
        "uses_ptr",
        "weights",
    )

    def __init__(self, net: Network) -> None:
        n = net.n
        self.n = n
        self.dur: I64 = np.array(net.dur, dtype=np.int64)
        self.demand: I64 = np.ascontiguousarray(net.demand, dtype=np.int64)
        self.release: I64 = np.array(net.release, dtype=np.int64)
        self.deadline: I64 = np.array(
            [NONE if d is None else d for d in net.deadline], dtype=np.int64
        )
        self.pinned: I64 = np.array([NONE if p is None else p for p in net.pinned], dtype=np.int64)
        self.pred_ptr, self.pred_idx, self.pred_delta = _csr(net.pred, n)
        self.succ_ptr, self.succ_idx, self.succ_delta = _csr(net.succ, n)
        self.uses_ptr, self.uses_idx, _ = _csr([[(int(k), 0) for k in u] for u in net.uses], n)
        self.cap: I64 = np.ascontiguousarray(net.capacity(net.horizon))
        self.project: I64 = np.array(net.project, dtype=np.int64)
        self.weights: I64 = np.array(net.weights or [1], dtype=np.int64)
        self.cpm_finish: I64 = np.array(net.cpm_finish or (0,), dtype=np.int64)
        self.makespan_objective = net.problem.objective is Objective.MAKESPAN
        windows = net.problem.resources
        self.events: I64 = np.array(
            sorted({w for r in windows for x in r.windows for w in (x.start, x.end)}),
            dtype=np.int64,
        )
        """Times where a capacity window begins or ends (decision times of the parallel scheme)."""
        self._check_pinned(net)

    def _check_pinned(self, net: Network) -> None:
        """Raise when the pinned activities alone exceed a resource's capacity."""
        pinned = np.flatnonzero(self.pinned >= 0)
        if not pinned.size:
            return
        avail = self.cap.copy()
        for j in pinned:
            uses, s = net.uses[j], int(self.pinned[j])
            avail[uses, s : s + net.dur[j]] -= net.demand[j, uses][:, None]
        if (avail < 0).any():
            raise InfeasibleError("pinned activities alone exceed a resource's capacity")

    def arrays(self) -> Arrays:
        """What the kernels take."""
        return Arrays(*(getattr(self, name) for name in Arrays._fields))


def kernel_of(net: Network) -> Kernel:
    """The compiled form of ``net``, built on first use and kept with it.

    Raises
    ------
    InfeasibleError
        If the pinned activities alone exceed a resource's capacity.
    """
    if net.kernel is None:
        net.kernel = Kernel(net)
    return net.kernel


def _csr(adj: list[list[tuple[int, int]]], n: int) -> tuple[I64, I64, I64]:
    ptr = np.zeros(n + 1, dtype=np.int64)
    for j in range(n):
        ptr[j + 1] = ptr[j] + len(adj[j])
    idx = np.array([i for row in adj for i, _ in row], dtype=np.int64)
    delta = np.array([d for row in adj for _, d in row], dtype=np.int64)
    return ptr, idx, delta

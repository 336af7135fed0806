"""Compiled kernels shared by the heuristic and the genetic algorithm (numba).

The network goes to the kernels as flat arrays (:class:`Arrays`, built once per
network by :func:`kernel_of`). The kernels decode activity lists with the
serial scheme, priority values with the parallel scheme (Kolisch 1996), and
improve schedules by forward-backward justification (Valls, Ballestin and
Quintanilla 2005); they run as machine code without the interpreter lock
(``nogil``), so a decode of 1,000 activities takes about a millisecond.

The kernels are split by scheme: :mod:`~pmo.engine.leveling.kernels.arrays`
(the flat arrays), :mod:`~pmo.engine.leveling.kernels.primitives` (fitting,
booking, heap, topological order), :mod:`~pmo.engine.leveling.kernels.serial_sgs`
(serial scheme, justification, decoding) and
:mod:`~pmo.engine.leveling.kernels.parallel_sgs`. Every kernel is cached on
disk by numba next to its own module (``kernels/__pycache__``).
"""

from pmo.engine.leveling.kernels.arrays import BAD, I64, NONE, Arrays, Kernel, kernel_of
from pmo.engine.leveling.kernels.parallel_sgs import parallel
from pmo.engine.leveling.kernels.primitives import topo_by_key
from pmo.engine.leveling.kernels.serial_sgs import better, decode, justify, score, serial

__all__ = [
    "BAD",
    "I64",
    "NONE",
    "Arrays",
    "Kernel",
    "better",
    "decode",
    "justify",
    "kernel_of",
    "parallel",
    "score",
    "serial",
    "topo_by_key",
]

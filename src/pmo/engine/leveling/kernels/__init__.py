"""Compiled kernels shared by the heuristic and the genetic algorithm (numba).

The network goes to the kernels as flat arrays (:class:`Arrays`, built once per
network by :func:`kernel_of`). The kernels decode activity lists with the
serial scheme, priority values with the parallel scheme (Kolisch 1996), and
improve schedules by forward-backward justification (Valls, Ballestin and
Quintanilla 2005); they run as machine code without the interpreter lock
(``nogil``), so a decode of 1,000 activities takes about a millisecond.

The package holds the flat arrays (:mod:`~pmo.engine.leveling.kernels.arrays`,
plain Python) and the compiled kernels (:mod:`~pmo.engine.leveling.kernels.compiled`,
one module so that numba's on-disk cache stays consistent); every name is
importable from here.
"""

from pmo.engine.leveling.kernels.arrays import I64, NONE, Arrays, Kernel, kernel_of
from pmo.engine.leveling.kernels.compiled import (
    BAD,
    better,
    decode,
    justify,
    parallel,
    score,
    serial,
    topo_by_key,
)

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

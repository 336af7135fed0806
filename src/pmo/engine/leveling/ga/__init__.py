"""A genetic algorithm over activity lists, compiled with numba.

The representation and operators follow Hartmann (1998), "A competitive
genetic algorithm for resource-constrained project scheduling": an individual
is a precedence-feasible activity list decoded by the serial schedule
generation scheme; two-point crossover keeps the lists precedence-feasible; a
mutation swaps neighbours that are not precedence-related. Every child is
improved by forward-backward justification (Valls, Ballestin and Quintanilla
2005) and its list replaced by the order of the improved schedule
(Lamarckian). Survivors are the best of parents and children by the
objective; a population that stops improving is restarted around the best
individual.

The decoding kernels run as machine code (numba, ``nogil``), so tens of
thousands of schedules per second are decoded on one core; the Python loop
only checks the clock between generations.

The package holds the compiled operators (:mod:`~pmo.engine.leveling.ga.operators`)
and the Python driver (:mod:`~pmo.engine.leveling.ga.driver`); every name is
importable from here.
"""

from pmo.engine.leveling.ga.driver import GaOptions, evolve, improve_ga, warm_up

__all__ = ["GaOptions", "evolve", "improve_ga", "warm_up"]

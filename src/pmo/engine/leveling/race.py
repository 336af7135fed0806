"""What CP-SAT and the genetic algorithm share while they run side by side.

CP-SAT runs in a thread (it releases the GIL), the genetic algorithm in the
caller's thread (its kernels are compiled ``nogil``). Each tells the other
what it knows: CP-SAT its proven bound and whether it has finished, the
genetic algorithm its best schedule. Either stops the race when its best
schedule meets the bound.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Race", "stopped_by"]


class Race:
    """Shared, lock-protected state of one solve.

    Examples
    --------
    >>> race = Race(bound=10)
    >>> race.offer_bound(12); race.bound
    12
    >>> race.offer_schedule([0, 3], 15); race.best_objective
    15
    >>> race.offer_schedule([0, 4], 16); race.best_starts
    [0, 3]
    >>> race.finished
    False
    """

    def __init__(self, bound: int) -> None:
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._solver: Any = None
        self._detached: threading.Event | None = None
        self.bound = bound
        self.best_objective: int | None = None
        self.best_starts: list[int] | None = None

    def offer_bound(self, bound: int) -> None:
        """A proven lower bound of the objective (the largest one is kept)."""
        with self._lock:
            self.bound = max(self.bound, bound)
            if self.best_objective is not None and self.best_objective <= self.bound:
                self._stop()

    def offer_schedule(self, starts: list[int], objective: int) -> None:
        """A valid schedule (kept if better than the best so far)."""
        with self._lock:
            if self.best_objective is None or objective < self.best_objective:
                self.best_objective = objective
                self.best_starts = list(starts)
            if self.best_objective <= self.bound:
                self._stop()

    def attach(self, solver: Any) -> None:
        """The CP-SAT solver about to run, stopped when the race is over."""
        with self._lock:
            self._solver = solver
            self._detached = threading.Event()
            if self._done.is_set():
                self._stop_solver()

    def detach(self) -> None:
        with self._lock:
            self._solver = None
            if self._detached is not None:
                self._detached.set()
                self._detached = None

    def finish(self) -> None:
        """End the race (CP-SAT has proven its result, or time is up)."""
        with self._lock:
            self._stop()

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def _stop(self) -> None:
        if self._done.is_set():
            return  # said once already (to the solver too, if one was attached)
        self._done.set()
        if self._solver is not None:
            self._stop_solver()

    def _stop_solver(self) -> None:
        """Stop the attached solver, and again every 50 ms until it is detached: CP-SAT
        ignores ``stop_search`` until its ``solve`` has begun, so a stop while the model was
        still being built (over a second under load) would leave the search running to its
        time limit."""
        solver, detached = self._solver, self._detached
        assert detached is not None
        solver.stop_search()

        def repeat() -> None:
            while not detached.wait(0.05):
                solver.stop_search()

        threading.Thread(target=repeat, name="leveling-cpsat-stop", daemon=True).start()


@contextmanager
def stopped_by(race: Race | None, stop: threading.Event | None) -> Iterator[None]:
    """While inside, setting ``stop`` ends ``race`` (and the CP-SAT search attached to it).

    A caller's way to cut a solve short (the user cancelled it): every search
    of the race stops and the best schedule so far is returned. A watcher
    thread looks at ``stop`` every 50 ms; leaving the block settles it too.

    Examples
    --------
    >>> race, stop = Race(bound=0), threading.Event()
    >>> with stopped_by(race, stop):
    ...     stop.set()
    >>> race.finished
    True
    """
    if race is None or stop is None:
        yield
        return
    left = threading.Event()

    def watch() -> None:
        while not left.wait(0.05):
            if stop.is_set():
                race.finish()
                return

    thread = threading.Thread(target=watch, name="leveling-stop", daemon=True)
    thread.start()
    try:
        yield
    finally:
        left.set()
        thread.join()
        if stop.is_set():
            race.finish()

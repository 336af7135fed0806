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
        """The CP-SAT solver about to run, stopped when the race is over.

        CP-SAT ignores ``stop_search`` until its ``solve`` has begun, so a race that ends
        between ``attach`` and then (or before ``attach``: a stop while the model was being
        built) would leave the search running to its time limit. Once the race is over, a
        watcher therefore repeats the stop every 50 ms until :meth:`detach`.
        """
        detached = threading.Event()
        with self._lock:
            self._solver = solver
            self._detached = detached
            if self._done.is_set():
                solver.stop_search()

        def keep_stopping() -> None:
            while not detached.is_set():
                if self._done.wait(0.05):
                    while not detached.wait(0.05):
                        solver.stop_search()
                    return

        threading.Thread(target=keep_stopping, name="leveling-cpsat-stop", daemon=True).start()

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
        self._done.set()
        if self._solver is not None:
            self._solver.stop_search()


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

"""Stopping a solve from outside: the best schedule so far, long before the time limit."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from pmo.engine.leveling import (
    Problem,
    read_sm,
    solve,
    solve_heuristic,
    violations,
)
from pmo.engine.leveling.ga import improve_ga
from pmo.engine.leveling.network import Network
from pmo.engine.leveling.race import Race
from pmo.engine.leveling.tests.portfolios import chain_portfolio
from pmo.engine.leveling.tests.test_solvers import BACKENDS, J30

# Never proven within 10 s (best-known 134): every search runs to its limit unless stopped.
HARD = J30.parent / "j60" / "j6029_4.sm"
LIMIT = 60.0


@pytest.fixture(scope="module")
def hard() -> Problem:
    problem = read_sm(HARD)
    # numba compiles the genetic algorithm on its first use in a fresh checkout: not timed
    net = Network(problem)
    improve_ga(
        net,
        [solve_heuristic(problem, samples=0, network=net)],
        time_limit=30,
        bound=0,
        rng=np.random.default_rng(0),
        max_schedules=50,
    )
    return problem


def _timed(problem: Problem, backend: str, stop: threading.Event) -> tuple[float, tuple[int, ...]]:
    t0 = time.perf_counter()
    s = solve(problem, backend=backend, time_limit=LIMIT, stop=stop)
    return time.perf_counter() - t0, s.starts


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stop_set_before_the_solve_returns_the_rules_schedule(
    hard: Problem, backend: str
) -> None:
    stop = threading.Event()
    stop.set()
    seconds, starts = _timed(hard, backend, stop)
    assert seconds < 5.0
    assert violations(hard, starts) == []


@pytest.mark.parametrize("backend", ["ga", "cpsat"])
def test_a_stop_ends_a_running_search(hard: Problem, backend: str) -> None:
    rules = solve_heuristic(hard, samples=0)
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    seconds, starts = _timed(hard, backend, stop)
    assert 1.0 <= seconds < 5.0  # the limit was 60 s
    assert violations(hard, starts) == []
    assert Network(hard).evaluate(list(starts))[0] <= rules.objective


class _LateStartingSolver:
    """Like CP-SAT: ``stop_search`` does nothing until the search has begun."""

    def __init__(self) -> None:
        self.searching = False
        self.stopped = threading.Event()

    def stop_search(self) -> None:
        if self.searching:
            self.stopped.set()


@pytest.mark.parametrize("when", ["before attach", "after attach"])
def test_a_race_over_before_the_search_begins_still_stops_it(when: str) -> None:
    """A cancel that lands while CP-SAT builds its model (under load, over a second) is not
    lost: the search is stopped once it begins, not left to run to its time limit."""
    race, solver = Race(bound=0), _LateStartingSolver()
    if when == "before attach":
        race.finish()
        race.attach(solver)
    else:
        race.attach(solver)
        race.finish()
    solver.searching = True  # the search begins after the stop was asked for
    assert solver.stopped.wait(2.0)
    race.detach()


def test_a_detached_solver_is_left_alone() -> None:
    race, solver = Race(bound=0), _LateStartingSolver()
    race.attach(solver)
    race.detach()
    solver.searching = True
    race.finish()
    assert not solver.stopped.wait(0.3)


def _portfolio() -> Problem:
    """Above 1,000 activities: the project-group search of big portfolios."""
    return chain_portfolio(11, 100, seed=5)


def test_a_stop_ends_the_project_group_search_of_a_big_portfolio() -> None:
    problem = _portfolio()
    assert problem.n_activities > 1000
    stop = threading.Event()
    t0 = time.perf_counter()
    threading.Timer(2.0, stop.set).start()
    s = solve(problem, backend="cpsat", time_limit=LIMIT, stop=stop)
    seconds = time.perf_counter() - t0
    assert seconds < 15.0  # the rules, then at most the current 3 s round
    assert violations(problem, s.starts) == []


def test_a_finished_race_ends_the_project_group_search_after_its_round() -> None:
    from pmo.engine.leveling.decompose import improve_by_projects
    from pmo.engine.leveling.race import Race

    problem = _portfolio()
    net = Network(problem)
    rules = solve_heuristic(problem, samples=0, network=net)
    race = Race(bound=0)
    threading.Timer(0.5, race.finish).start()
    t0 = time.perf_counter()
    s = improve_by_projects(net, rules, time_limit=LIMIT, race=race)
    assert time.perf_counter() - t0 < 6.0  # the round under way (3 s) and no other
    assert s.objective <= rules.objective
    assert violations(problem, s.starts) == []

"""Property tests: on random instances every back-end returns a valid schedule,
and CP-SAT (warm-started by the heuristic) is never worse than the heuristic."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo.engine.leveling import (
    Activity,
    CapacityWindow,
    Objective,
    Precedence,
    Problem,
    Project,
    Resource,
    check_schedule,
    solve,
    solve_cpsat,
    solve_heuristic,
)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    m = draw(st.integers(1, 3))
    caps = [draw(st.integers(1, 5)) for _ in range(m)]
    resources = []
    for k in range(m):
        windows: tuple[CapacityWindow, ...] = ()
        if draw(st.booleans()):
            start = draw(st.integers(0, 8))
            windows = (
                CapacityWindow(
                    start=start,
                    end=start + draw(st.integers(1, 6)),
                    capacity=draw(st.integers(0, caps[k] + 2)),
                ),
            )
        resources.append(Resource(name=f"r{k}", capacity=caps[k], windows=windows))
    n = draw(st.integers(1, 9))
    nproj = draw(st.integers(1, 3))
    activities = []
    for j in range(n):
        activities.append(
            Activity(
                name=f"a{j}",
                duration=draw(st.integers(0, 5)),
                demands=tuple(draw(st.integers(0, caps[k])) for k in range(m)),
                project=draw(st.integers(0, nproj - 1)),
                release=draw(st.sampled_from([0, 0, 0, 1, 4])),
            )
        )
    precedences = []
    for j in range(1, n):
        for i in draw(st.sets(st.integers(0, j - 1), max_size=2)):
            precedences.append(
                Precedence(
                    pred=i,
                    succ=j,
                    lag=draw(st.integers(-2, 3)),
                    kind=draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"])),
                )
            )
    objective = draw(st.sampled_from(list(Objective)))
    projects = tuple(Project(name=f"p{p}", weight=draw(st.integers(0, 4))) for p in range(nproj))
    return Problem(
        resources=tuple(resources),
        activities=tuple(activities),
        precedences=tuple(precedences),
        projects=projects,
        objective=objective,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), seed=st.integers(0, 2**16))
def test_both_backends_return_valid_schedules(problem: Problem, seed: int) -> None:
    heuristic = solve_heuristic(problem, rng=np.random.default_rng(seed), samples=5)
    check_schedule(problem, heuristic.starts)
    exact = solve_cpsat(problem, hint=heuristic, time_limit=5, workers=1)
    check_schedule(problem, exact.starts)
    assert exact.objective <= heuristic.objective
    assert exact.bound <= exact.objective
    cold = solve_cpsat(problem, time_limit=5, workers=1)
    check_schedule(problem, cold.starts)
    if exact.status == "optimal" and cold.status == "optimal":
        assert exact.objective == cold.objective


@settings(max_examples=30, deadline=None)
@given(problem=problems())
def test_solve_never_exceeds_capacity(problem: Problem) -> None:
    s = solve(problem, time_limit=2, workers=1)
    check_schedule(problem, s.starts)
    assert s.objective == (
        s.makespan
        if problem.objective is Objective.MAKESPAN
        else sum(p.weight * d for p, d in zip(problem.projects, s.project_delay, strict=True))
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), seed=st.integers(0, 2**16))
def test_genetic_algorithm_returns_valid_schedules(problem: Problem, seed: int) -> None:
    from pmo.engine.errors import InfeasibleError
    from pmo.engine.leveling.ga import improve_ga
    from pmo.engine.leveling.network import Network

    net = Network(problem)
    try:
        rules = solve_heuristic(problem, rng=np.random.default_rng(seed), samples=0, network=net)
    except InfeasibleError:
        return  # deadlines the rules cannot meet: nothing to seed the population with
    best = improve_ga(
        net,
        [rules],
        time_limit=30,
        bound=rules.bound,
        rng=np.random.default_rng(seed),
        max_schedules=400,
    )
    check_schedule(problem, best.starts)  # also inside improve_ga; explicit here
    assert best.objective <= rules.objective
    assert best.bound <= best.objective


@st.composite
def pinned_problems(draw: st.DrawFn, *, closed: bool = True) -> Problem:
    """A problem whose activities partly keep the starts of a valid schedule.

    ``closed``: the pinned set is closed under predecessors (work under way and
    what came before it, as when the PMO pins a project that waits for no
    other); otherwise any activities are pinned, also ones whose predecessors
    are free to move. Either way one schedule exists: the one pinned from.
    """
    problem = draw(problems())
    base = solve_heuristic(problem, samples=0)
    preds: list[list[int]] = [[] for _ in problem.activities]
    for e in problem.precedences:
        preds[e.succ].append(e.pred)
    todo = list(draw(st.sets(st.integers(0, problem.n_activities - 1), min_size=1)))
    pinned: set[int] = set()
    while todo:
        j = todo.pop()
        if j not in pinned:
            pinned.add(j)
            if closed:
                todo.extend(preds[j])
    activities = tuple(
        replace(a, pinned_start=base.starts[j]) if j in pinned else a
        for j, a in enumerate(problem.activities)
    )
    return replace(problem, activities=activities)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=pinned_problems(), seed=st.integers(0, 2**16))
def test_pinned_activities_in_every_scheme_and_backend(problem: Problem, seed: int) -> None:
    from pmo.engine.leveling.network import Network
    from pmo.engine.leveling.sgs import (
        activity_list,
        justify,
        parallel_sgs,
        priorities,
        serial_sgs,
    )

    net = Network(problem)
    for rule in ("LFT", "WLFT"):
        prio = priorities(net, rule)
        for starts in (serial_sgs(net, activity_list(net, prio)), parallel_sgs(net, prio)):
            check_schedule(problem, starts)
            check_schedule(problem, justify(net, starts))
    for backend in ("heuristic", "ga", "cpsat"):
        s = solve(
            problem, backend=backend, time_limit=1, workers=1, rng=np.random.default_rng(seed)
        )
        check_schedule(problem, s.starts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=pinned_problems(closed=False), seed=st.integers(0, 2**16))
def test_free_predecessors_make_way_for_pinned_activities(problem: Problem, seed: int) -> None:
    from pmo.engine.errors import InfeasibleError

    # CP-SAT finds a schedule (one exists); the rules and the GA find one or say they
    # found none meeting the pinned starts, and never return a broken schedule.
    s = solve(problem, backend="cpsat", time_limit=5, workers=1, rng=np.random.default_rng(seed))
    check_schedule(problem, s.starts)
    for backend in ("heuristic", "ga"):
        try:
            found = solve(
                problem, backend=backend, time_limit=1, workers=1, rng=np.random.default_rng(seed)
            )
        except InfeasibleError as exc:
            assert "deadline" in str(exc)
        else:
            check_schedule(problem, found.starts)

"""Leveling runs: queue, run, apply to the scenario only, pins, not levelable, commit, 409s."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import F
from django.utils import translation

from pmo.accounts.models import Role, User
from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.resources import leveling, services
from pmo.resources.heatmap import build_heatmap
from pmo.resources.models import (
    Allocation,
    LevelingState,
    ProjectShift,
    Scenario,
    ScenarioState,
)
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)


@pytest.fixture
def director(users: Any) -> User:
    return User.objects.create_user(username="dir", password="pw", role=Role.RESOURCE_MANAGER)


@pytest.fixture
def overloaded(org: Any, make_project: Any) -> dict[str, Any]:
    """2 FTE of Java; three projects each wanting 1 FTE in the same week (priority 1, 3, 5)."""
    java = pool(org)
    high = make_project(priority=1)
    mid = make_project(priority=3)
    low = make_project(priority=5)
    for project in (high, mid, low):
        allocate(java, project, MON, FRI, "1", status="committed")
    allocate(java, mid, MON + dt.timedelta(days=7), FRI + dt.timedelta(days=7), "1")
    return {"java": java, "high": high, "mid": mid, "low": low}


def _heatmap(scenario_id: int | None) -> Any:
    return build_heatmap(by="resource", start=MON, count=8, scenario_id=scenario_id)


def _level(director: User, scenario: Any, **kwargs: Any) -> Any:
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=2, **kwargs)
    assert run.state == LevelingState.QUEUED
    return leveling.run_leveling(run.pk, today=MON)


def test_leveling_removes_the_overload_in_the_scenario_only(
    overloaded: dict[str, Any], director: User
) -> None:
    # given an overloaded week in the current plan and a scenario copied from it
    assert _heatmap(None).overloaded_cells == 1
    scenario = services.create_scenario(actor=director, name="Level")
    # when the scenario is levelled
    run = _level(director, scenario)
    # then the run is done, the scenario has no overloaded cell, the current plan is as it was
    assert (run.state, run.phase, run.progress, run.error) == ("done", "done", 100, "")
    assert _heatmap(scenario.pk).overloaded_cells == 0
    assert _heatmap(None).overloaded_cells == 1
    assert set(Allocation.objects.filter(scenario=None).values_list("first", flat=True)) == {
        MON,
        MON + dt.timedelta(days=7),
    }
    # the lowest priority project waits one week (5 working days), the others do not
    delays = {
        p["project"]: (p["delay"], p["priority"], p["weight"]) for p in run.result["projects"]
    }
    low, mid, high = (overloaded[k].code for k in ("low", "mid", "high"))
    assert delays[high] == (0, 1, 16)
    assert delays[mid] == (0, 3, 4)
    assert delays[low] == (5, 5, 1)
    [moved] = run.result["moved"]
    assert (moved["project"], moved["first"], moved["new_first"], moved["days"]) == (
        low,
        MON.isoformat(),
        (MON + dt.timedelta(days=7)).isoformat(),
        5,
    )
    assert moved["kind"] == "allocation"
    assert run.overload_before == 5.0 and run.overload_after == 0.0
    assert ProjectShift.objects.get(scenario=scenario, project=overloaded["low"]).days == 7
    assert AuditEvent.objects.filter(scope=f"scenario:{scenario.pk}", action="update").exists()


def test_a_pinned_project_is_not_moved(overloaded: dict[str, Any], director: User) -> None:
    scenario = services.create_scenario(actor=director, name="Pin")
    low = overloaded["low"]
    run = _level(director, scenario, pinned=[low.code])
    assert run.state == "done"
    assert Allocation.objects.get(scenario=scenario, project=low).first == MON
    assert ProjectShift.objects.get(scenario=scenario, project=low).pinned
    moved = {m["project"] for m in run.result["moved"]}
    assert low.code not in moved and moved
    assert _heatmap(scenario.pk).overloaded_cells == 0


def test_an_allocation_above_capacity_is_reported_not_levelable(
    org: Any, make_project: Any, director: User
) -> None:
    java = pool(org)
    big = make_project()
    allocate(java, big, MON, FRI, "3")
    scenario = services.create_scenario(actor=director, name="Too big")
    run = _level(director, scenario)
    assert run.state == "done"
    [item] = run.result["not_levelable"]
    assert (item["project"], item["resource"], item["fte"]) == (big.code, "java-sh", 3.0)
    assert Allocation.objects.get(scenario=scenario).first == MON


def test_a_second_run_while_one_is_queued_is_refused(
    overloaded: dict[str, Any], director: User
) -> None:
    scenario = services.create_scenario(actor=director, name="Twice")
    leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)
    with pytest.raises(ConflictError, match="under way"):
        leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)


def test_only_draft_scenarios_and_managers_and_sane_limits(
    overloaded: dict[str, Any], director: User, users: Any
) -> None:
    scenario = services.create_scenario(actor=director, name="Closed")
    with pytest.raises(PermissionDeniedError):
        leveling.start_leveling(actor=users["exec"], scenario=scenario)
    with pytest.raises(FieldError, match="time_limit"):
        leveling.start_leveling(actor=director, scenario=scenario, time_limit=601)
    with pytest.raises(FieldError, match="pinned"):
        leveling.start_leveling(actor=director, scenario=scenario, pinned=["NOPE"])
    services.discard_scenario(actor=director, scenario=scenario)
    with pytest.raises(ConflictError, match="discarded"):
        leveling.start_leveling(actor=director, scenario=scenario)


def _changed_behind_the_runs_back(scenario: Any) -> None:
    """A change the services would refuse while the run is under way (409 naming the run),
    made in the database: the run's own check is the last line of defence."""
    Scenario.objects.filter(pk=scenario.pk).update(version=F("version") + 1)


def test_a_scenario_changed_during_the_run_is_left_alone(
    overloaded: dict[str, Any], director: User
) -> None:
    scenario = services.create_scenario(actor=director, name="Busy")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)
    _changed_behind_the_runs_back(scenario)
    run = leveling.run_leveling(run.pk, today=MON)
    assert (run.state, run.phase) == ("failed", "failed")
    assert "changed during the run" in run.error
    assert _heatmap(scenario.pk).overloaded_cells == 1


def test_the_run_writes_its_texts_in_the_language_it_was_started_in(
    overloaded: dict[str, Any], director: User
) -> None:
    scenario = services.create_scenario(actor=director, name="Busy")
    with translation.override("zh-hans"):
        run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)
    _changed_behind_the_runs_back(scenario)
    run = leveling.run_leveling(run.pk, today=MON)  # a worker: English is active
    assert translation.get_language() == "en"
    assert run.error == "运行期间情景被修改；没有任何更改，请重新进行资源平衡"


def test_commit_after_leveling_moves_the_live_allocations(
    overloaded: dict[str, Any], director: User
) -> None:
    scenario = services.create_scenario(actor=director, name="Commit")
    _level(director, scenario)
    result = services.commit_scenario(actor=director, scenario=scenario)
    scenario.refresh_from_db()
    assert scenario.state == ScenarioState.COMMITTED
    assert result.updated == 1
    assert _heatmap(None).overloaded_cells == 0
    assert Allocation.objects.get(
        scenario=None, project=overloaded["low"]
    ).first == MON + dt.timedelta(days=7)


def test_commit_lists_the_plans_whose_schedule_demand_it_moved(
    org: Any, make_project: Any, director: User, client: Any
) -> None:
    # given the lowest priority's demand comes from its schedule, not an allocation
    java = pool(org)
    high, low, slack = (make_project(priority=p) for p in (1, 5, 5))
    allocate(java, high, MON, FRI, "2", status="committed")
    for project in (low, slack):
        rows = [services.DemandRow(java.code, MON, FRI, 1.0)]
        assert services.record_schedule_demand(project=project, rows=rows) == []
    handmade = make_project(priority=5)
    later = [
        services.DemandRow(java.code, MON + dt.timedelta(days=28), FRI + dt.timedelta(days=28), 0.1)
    ]
    assert services.record_schedule_demand(project=handmade, rows=later) == []
    scenario = services.create_scenario(actor=director, name="Plans")
    assert _level(director, scenario).state == "done"
    # a move inside slack changes no finish and makes no project shift, yet the plan must move
    copy = Allocation.objects.get(scenario=scenario, project=slack)
    two_weeks = dt.timedelta(days=14)
    Allocation.objects.filter(pk=copy.pk).update(
        first=copy.first + two_weeks, last=copy.last + two_weeks
    )
    # a project shifted by moving only its hand-entered rows has no plan to change
    ProjectShift.objects.create(scenario=scenario, project=handmade, days=14)
    result = services.commit_scenario(actor=director, scenario=scenario)
    assert result.plans_to_change == sorted([low.code, slack.code])
    scenario.refresh_from_db()
    assert scenario.plans_to_change == result.plans_to_change
    # the list stays on the committed scenario's page and in the API
    client.force_login(director)
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    assert 'data-testid="plans-to-change"' in page
    assert f'href="/projects/{low.code}/"' in page
    api = client.get(f"/api/v1/scenarios/{scenario.pk}").json()
    assert api["plans_to_change"] == result.plans_to_change


def test_enqueued_run_is_done_by_the_task_backend(
    overloaded: dict[str, Any],
    director: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(leveling.timezone, "localdate", lambda: MON)
    scenario = services.create_scenario(actor=director, name="Task")
    with django_capture_on_commit_callbacks(execute=True):
        run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)
    run.refresh_from_db()
    assert run.state == "done"
    assert _heatmap(scenario.pk).overloaded_cells == 0


def test_progress_is_interpolated_while_solving_and_stale_runs_do_not_block(
    overloaded: dict[str, Any], director: User
) -> None:
    from django.utils import timezone

    from pmo.resources.models import LevelingRun

    scenario = services.create_scenario(actor=director, name="Progress")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=100)
    now = timezone.now()
    run.state, run.phase, run.progress = "running", "solving", 10
    run.started_at = now - dt.timedelta(seconds=50)
    assert leveling.shown_progress(run) == 50  # 10 + 80 * 50 / 100
    run.started_at = now - dt.timedelta(seconds=500)
    assert leveling.shown_progress(run) == 89
    # a run whose worker never came (older than its limit + 10 minutes) no longer blocks
    LevelingRun.objects.filter(pk=run.pk).update(created_at=now - dt.timedelta(minutes=12))
    assert leveling.active_run(scenario) is None
    again = leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)
    assert again.pk != run.pk


def test_the_result_panel_in_chinese(
    overloaded: dict[str, Any], director: User, client: Any
) -> None:
    scenario = services.create_scenario(actor=director, name="中文")
    _level(director, scenario)
    client.force_login(director)
    page = client.get(
        f"/resources/scenarios/{scenario.pk}/", headers={"accept-language": "zh-hans"}
    ).content.decode()
    assert "各项目延期" in page and "移动的任务和分配" in page and "平衡项目组合资源" in page
    assert "求解器：最优" in page


def test_work_under_way_is_split_and_commit_creates_the_moved_part(
    org: Any, make_project: Any, director: User
) -> None:
    # given two projects on a 1-FTE pool: one under way since last week (priority 5) and one
    # starting today (priority 1), both until Friday
    java = pool(org, fte=1)
    busy, urgent = make_project(priority=5), make_project(priority=1)
    started = MON - dt.timedelta(days=7)
    allocate(java, busy, started, FRI, "1", status="committed")
    allocate(java, urgent, MON, FRI, "1", status="committed")
    scenario = services.create_scenario(actor=director, name="Split")
    run = _level(director, scenario)
    # then the work under way keeps last week and its remaining week moves after the urgent one;
    # the kept part ends on Saturday 28 February, a working day (调休) of the pool's China calendar
    [moved] = run.result["moved"]
    assert (moved["project"], moved["kept_last"], moved["new_first"], moved["new_last"]) == (
        busy.code,
        (MON - dt.timedelta(days=2)).isoformat(),
        (MON + dt.timedelta(days=7)).isoformat(),
        (FRI + dt.timedelta(days=7)).isoformat(),
    )
    rows = Allocation.objects.filter(scenario=scenario, project=busy).order_by("first")
    assert [(a.first, a.last) for a in rows] == [
        (started, MON - dt.timedelta(days=2)),
        (MON + dt.timedelta(days=7), FRI + dt.timedelta(days=7)),
    ]
    assert (
        build_heatmap(
            by="resource", start=started, count=3, scenario_id=scenario.pk
        ).overloaded_cells
        == 0
    )
    result = services.commit_scenario(actor=director, scenario=scenario)
    assert (result.created, result.updated) == (1, 1)
    live = Allocation.objects.filter(scenario=None, project=busy).order_by("first")
    assert [(a.first, a.last) for a in live] == [(r.first, r.last) for r in rows]


def test_a_run_is_done_once(overloaded: dict[str, Any], director: User) -> None:
    scenario = services.create_scenario(actor=director, name="Once")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=1)
    first = leveling.run_leveling(run.pk, today=MON)
    second = leveling.run_leveling(run.pk, today=MON)
    assert (first.state, second.state, second.finished_at) == ("done", "done", first.finished_at)
    assert Allocation.objects.filter(scenario=scenario, project=overloaded["low"]).count() == 1


def test_no_schedule_fails_the_run_and_leaves_the_scenario(
    org: Any, make_project: Any, director: User
) -> None:
    # given a 1-FTE person leaving on Friday and two 3-day rows that each fit alone
    person = pool(org, code="ana", kind="person", fte=1, available_until=FRI)
    for _ in range(2):
        allocate(person, make_project(), MON, MON + dt.timedelta(days=2), "1")
    scenario = services.create_scenario(actor=director, name="Leaving")
    run = _level(director, scenario)
    assert run.state == "failed"
    assert run.error.startswith("no schedule found")
    assert set(Allocation.objects.filter(scenario=scenario).values_list("first", flat=True)) == {
        MON
    }


def test_a_queued_run_can_be_cancelled_and_is_never_started(
    overloaded: dict[str, Any], director: User, users: Any
) -> None:
    scenario = services.create_scenario(actor=director, name="Cancel")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=5)
    with pytest.raises(PermissionDeniedError):
        leveling.cancel_leveling(actor=users["exec"], run=run)
    cancelled = leveling.cancel_leveling(actor=director, run=run)
    assert (cancelled.state, cancelled.phase) == ("cancelled", "cancelled")
    assert cancelled.finished_at is not None
    assert AuditEvent.objects.filter(
        object_id=str(run.pk), changes__state=["queued", "cancelled"]
    ).exists()
    # the worker that picks the task up later leaves it alone, and the scenario is as it was
    assert leveling.run_leveling(run.pk, today=MON).state == "cancelled"
    assert _heatmap(scenario.pk).overloaded_cells == 1
    with pytest.raises(ConflictError, match="only a queued or running run"):
        leveling.cancel_leveling(actor=director, run=run)
    # the scenario is free for another run at once
    assert leveling.active_run(scenario) is None
    assert _level(director, scenario).state == "done"


def test_a_run_cancelled_while_it_solves_writes_nothing(
    overloaded: dict[str, Any], director: User, monkeypatch: Any
) -> None:
    scenario = services.create_scenario(actor=director, name="Late cancel")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=2)
    solve = leveling.adapters.solve_problem

    def cancelled_meanwhile(*args: Any, **kwargs: Any) -> Any:
        leveling.cancel_leveling(actor=director, run=run)  # while the solver works
        return solve(*args, **kwargs)

    monkeypatch.setattr(leveling.adapters, "solve_problem", cancelled_meanwhile)
    done = leveling.run_leveling(run.pk, today=MON)
    assert (done.state, done.phase, done.result) == ("cancelled", "cancelled", {})
    assert _heatmap(scenario.pk).overloaded_cells == 1
    assert not ProjectShift.objects.filter(scenario=scenario).exists()


@pytest.mark.django_db(transaction=True)
def test_cancelling_stops_the_running_solver(
    overloaded: dict[str, Any], director: User, monkeypatch: Any
) -> None:
    """The worker's watcher thread reads the cancellation and sets the solver's stop event."""
    monkeypatch.setattr(leveling, "CANCEL_POLL_SECONDS", 0.05)
    scenario = services.create_scenario(actor=director, name="Stop")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=600)
    solve = leveling.adapters.solve_problem
    seen: list[bool] = []

    def long_solve(*args: Any, stop: Any, **kwargs: Any) -> Any:
        leveling.cancel_leveling(actor=director, run=run)  # committed: another request
        seen.append(stop.wait(10.0))
        return solve(*args, stop=stop, **kwargs)

    monkeypatch.setattr(leveling.adapters, "solve_problem", long_solve)
    done = leveling.run_leveling(run.pk, today=MON)
    assert seen == [True]
    assert done.state == "cancelled"
    assert _heatmap(scenario.pk).overloaded_cells == 1


def test_leveling_over_golden_week_follows_the_china_calendar(
    org: Any, make_project: Any, director: User
) -> None:
    # given a 1-FTE Shanghai pool (China calendar) and two projects wanting it on 8-9 October
    # 2026, just after Golden Week (1-7 October off; Saturday 10 October is worked)
    java = pool(org, fte="1")
    first, second = make_project(priority=1), make_project(priority=5)
    sep28, oct8, oct9 = dt.date(2026, 9, 28), dt.date(2026, 10, 8), dt.date(2026, 10, 9)
    allocate(java, first, sep28, oct9, "1", status="committed")
    allocate(java, second, oct8, oct9, "1", status="committed")
    scenario = services.create_scenario(actor=director, name="Golden Week")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=2)
    run = leveling.run_leveling(run.pk, today=sep28)
    # then the second project's two days move to the 调休 Saturday and the Monday after
    assert (run.state, run.overload_before, run.overload_after) == ("done", 2.0, 0.0)
    [moved] = run.result["moved"]
    assert (moved["project"], moved["new_first"], moved["new_last"], moved["days"]) == (
        second.code,
        "2026-10-10",
        "2026-10-12",
        2,
    )
    # and the heat map, which counts the same working days, shows no overload
    after = build_heatmap(by="resource", start=sep28, count=3, scenario_id=scenario.pk)
    assert after.overloaded_cells == 0
    assert build_heatmap(by="resource", start=sep28, count=3).overloaded_cells == 1


def test_a_move_past_the_accepted_dates_fails_the_run_and_changes_nothing(
    overloaded: dict[str, Any], director: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from pmo.resources import adapters

    real = adapters.moves

    def far(data: Any, starts: Any) -> Any:  # as if the schedule ran past 2149-12-31
        return [
            replace(m, new_first=dt.date(2150, 1, 5), new_last=dt.date(2150, 1, 9))
            for m in real(data, starts)
        ]

    monkeypatch.setattr(adapters, "moves", far)
    scenario = services.create_scenario(actor=director, name="Far")
    before = sorted(scenario.allocations.values_list("first", flat=True))
    run = _level(director, scenario)
    assert run.state == LevelingState.FAILED
    assert "2150-01-05" in run.error and "2149-12-31" in run.error
    assert sorted(scenario.allocations.values_list("first", flat=True)) == before


def test_a_shift_out_of_the_accepted_dates_is_refused(
    overloaded: dict[str, Any], director: User
) -> None:
    # a row planned late in the accepted range cannot be moved beyond its end
    far = dt.date(2149, 6, 1)
    allocate(overloaded["java"], overloaded["low"], far, far + dt.timedelta(days=4), "1")
    scenario = services.create_scenario(actor=director, name="Far shift")
    with pytest.raises(FieldError) as refused:
        services.shift_project(
            actor=director, scenario=scenario, project=overloaded["low"], days=365
        )
    assert refused.value.errors[0]["field"] == "days"
    assert "2149-12-31" in refused.value.errors[0]["message"]
    assert not ProjectShift.objects.filter(scenario=scenario).exists()
    # a move inside the range is taken
    services.shift_project(actor=director, scenario=scenario, project=overloaded["low"], days=14)

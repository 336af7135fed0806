"""A running leveling run whose worker is gone (killed, its machine stopped) is lost: its
heartbeat stops, and once it is older than PMO_LEVELING_LOST_AFTER_SECONDS the run reads as
failed everywhere (API, list, run panel, scenario page), its scenario is free for another
run at once and its task row is failed too; a run whose worker writes its heartbeat is never
failed however long it runs (ADR 0008)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.resources import leveling, leveling_runs, tasks
from pmo.resources.models import Allocation, LevelingRun
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)
LOST = "the worker stopped before the run finished; start it again"


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def _level(client: Any, scenario: int, user: Any) -> Any:
    return client.post(
        f"/api/v1/scenarios/{scenario}/level",
        json.dumps({"time_limit": 120}),
        content_type="application/json",
        headers=_auth(user),
    )


def _scenario(client: Any, users: Any, org: Any, make_project: Any) -> int:
    java = pool(org)  # 2 FTE, three projects wanting 1 FTE each in one week
    for priority in (1, 3, 5):
        allocate(java, make_project(priority=priority), MON, FRI, "1", status="committed")
    made = client.post(
        "/api/v1/scenarios",
        json.dumps({"name": "Level"}),
        content_type="application/json",
        headers=_auth(users["member"]),
    )
    return int(made.json()["id"])


def _solving(run_id: int, *, started: float, heard: float) -> None:
    """The run as a worker left it solving: claimed ``started`` s ago, heard of ``heard`` s ago
    (its task row claimed too)."""
    now = timezone.now()
    LevelingRun.objects.filter(pk=run_id).update(
        state="running",
        phase="solving",
        progress=10,
        started_at=now - dt.timedelta(seconds=started),
        heartbeat_at=now - dt.timedelta(seconds=heard),
    )
    DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [run_id], "kwargs": {}},
        task_path=tasks.level_scenario_task.module_path,
        backend_name="default",
        run_after=now,
        started_at=now - dt.timedelta(seconds=started),
        worker_ids=["pmo-serve"],
    )


def _stored(run_id: int) -> dict[str, Any]:
    """The row as stored, not as read through the model (which shows a lost run failed)."""
    return dict(LevelingRun.objects.filter(pk=run_id).values("state", "error", "finished_at")[0])


def test_a_lost_run_reads_failed_in_the_api_and_frees_its_scenario(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario = _scenario(client, users, org, make_project)
    first = _level(client, scenario, users["member"]).json()["id"]
    _solving(first, started=200, heard=100)  # its worker was killed 100 s ago
    assert _stored(first)["state"] == "running"

    # the list shows it failed while the row still says running: every reader agrees
    listed = client.get(
        f"/api/v1/scenarios/{scenario}/leveling-runs", headers=_auth(users["exec"])
    ).json()["items"]
    assert [(r["id"], r["state"], r["phase"], r["error"]) for r in listed] == [
        (first, "failed", "failed", LOST)
    ]
    assert listed[0]["progress"] == 10  # no longer climbing by time (it showed 89)

    # reading the run ends it as failed for good, by "system", its task row too
    got = client.get(f"/api/v1/leveling-runs/{first}", headers=_auth(users["exec"])).json()
    assert (got["state"], got["error"], got["progress"], got["hint"]) == ("failed", LOST, 10, None)
    stored = _stored(first)
    assert (stored["state"], stored["error"]) == ("failed", LOST)
    # last heard of (100 s before _solving, not its start 200 s before; room for a slow run)
    assert 99 <= (timezone.now() - stored["finished_at"]).total_seconds() < 150
    event = AuditEvent.objects.get(
        object_type="resources.levelingrun", object_id=str(first), action="update"
    )
    assert (event.actor_name, event.changes) == ("system", {"state": ["running", "failed"]})
    task = DBTaskResult.objects.get(args_kwargs__args=[first])
    assert (task.status, task.traceback) == ("FAILED", LOST)
    assert task.exception_class_path == tasks.LOST

    # a new run starts at once, and the lost one is listed failed beside it
    second = _level(client, scenario, users["member"])
    assert second.status_code == 202
    listed = client.get(
        f"/api/v1/scenarios/{scenario}/leveling-runs", headers=_auth(users["exec"])
    ).json()["items"]
    assert [(r["id"], r["state"]) for r in listed] == [
        (second.json()["id"], "queued"),
        (first, "failed"),
    ]
    # the new run levels the scenario as usual
    assert leveling.run_leveling(second.json()["id"], today=MON).state == "done"


def test_a_new_run_is_not_refused_by_a_lost_one(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    """The 409 "under way" check fails the lost run itself: no read of it is needed first."""
    scenario = _scenario(client, users, org, make_project)
    first = _level(client, scenario, users["member"]).json()["id"]
    _solving(first, started=95, heard=91)  # just past 90 s, far inside time limit + 10 min
    second = _level(client, scenario, users["member"])
    assert second.status_code == 202, second.json()
    assert _stored(first)["state"] == "failed"


def test_a_run_whose_worker_is_heard_of_is_never_failed(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario = _scenario(client, users, org, make_project)
    first = _level(client, scenario, users["member"]).json()["id"]
    # solving for 20 minutes (past time limit + 10 min), its worker heard of 60 s ago
    _solving(first, started=1200, heard=60)
    assert leveling_runs.fail_lost_runs() == []
    got = client.get(f"/api/v1/leveling-runs/{first}", headers=_auth(users["exec"])).json()
    assert (got["state"], got["error"], got["progress"]) == ("running", "", 89)
    again = _level(client, scenario, users["member"])
    assert (again.status_code, again.json()["run_id"]) == (409, first)
    assert _stored(first)["state"] == "running"
    assert DBTaskResult.objects.get(args_kwargs__args=[first]).status == "RUNNING"


def test_the_interval_is_a_setting(
    client: Any, users: Any, org: Any, make_project: Any, settings: Any
) -> None:
    settings.PMO_LEVELING_LOST_AFTER_SECONDS = 10
    scenario = _scenario(client, users, org, make_project)
    run = _level(client, scenario, users["member"]).json()["id"]
    _solving(run, started=30, heard=5)  # well under: the test may be slow on a loaded machine
    assert leveling_runs.fail_lost_runs(scenario_id=scenario) == []
    LevelingRun.objects.filter(pk=run).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=12)
    )
    assert leveling_runs.fail_lost_runs(scenario_id=scenario + 1) == []  # another scenario's
    assert leveling_runs.fail_lost_runs(scenario_id=scenario) == [run]
    assert leveling_runs.fail_lost_runs() == []  # once


def test_a_run_from_before_heartbeats_is_lost_by_its_start(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario = _scenario(client, users, org, make_project)
    run = _level(client, scenario, users["member"]).json()["id"]
    _solving(run, started=120, heard=0)
    LevelingRun.objects.filter(pk=run).update(heartbeat_at=None)
    assert leveling_runs.fail_lost_runs() == [run]


def test_the_page_and_the_panel_show_a_lost_run_failed_with_the_reason(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario = _scenario(client, users, org, make_project)
    run = _level(client, scenario, users["member"]).json()["id"]
    _solving(run, started=200, heard=100)
    client.force_login(users["member"])

    page = client.get(f"/resources/scenarios/{scenario}/").content.decode()
    assert 'data-state="failed"' in page
    assert re.search(r'data-testid="run-error">\s*' + re.escape(LOST), page)
    assert '<progress max="100" value="10" data-testid="run-progress">' in page  # not climbing
    assert 'hx-trigger="every 1s"' not in page  # no longer polled
    assert 'data-testid="cancel-run"' not in page

    panel = client.get(f"/resources/leveling-runs/{run}/?poll=1", headers={"HX-Request": "true"})
    assert panel["HX-Refresh"] == "true"  # a page polling it reloads and shows it failed
    assert LOST in panel.content.decode()
    level_button = client.post(f"/resources/scenarios/{scenario}/level/", {"time_limit": "5"})
    assert level_button.status_code == 302
    assert LevelingRun.objects.filter(scenario_id=scenario, state="queued").count() == 1


def test_a_worker_whose_run_was_failed_as_lost_writes_nothing(
    client: Any, users: Any, org: Any, make_project: Any, monkeypatch: Any
) -> None:
    """A worker starved for longer than the interval finds its run failed and drops its
    result (as for a cancel): the scenario another run may now level is left alone."""
    scenario = _scenario(client, users, org, make_project)
    run = _level(client, scenario, users["member"]).json()["id"]
    before = sorted(Allocation.objects.filter(scenario_id=scenario).values_list("first", "last"))
    solve = leveling.adapters.solve_problem

    def starved(*args: Any, **kwargs: Any) -> Any:
        schedule = solve(*args, **kwargs)
        LevelingRun.objects.filter(pk=run).update(
            heartbeat_at=timezone.now() - dt.timedelta(seconds=100)
        )
        assert leveling_runs.fail_lost_runs() == [run]  # another request read it meanwhile
        return schedule

    monkeypatch.setattr(leveling.adapters, "solve_problem", starved)
    done = leveling.run_leveling(run, today=MON)
    assert (done.state, done.error, done.result) == ("failed", LOST, {})
    after = sorted(Allocation.objects.filter(scenario_id=scenario).values_list("first", "last"))
    assert after == before


def test_a_worker_starting_a_run_fails_the_lost_ones(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    """A restarted worker's first run ends the runs the killed one left (any scenario)."""
    scenario = _scenario(client, users, org, make_project)
    lost = _level(client, scenario, users["member"]).json()["id"]
    _solving(lost, started=300, heard=200)
    other = client.post(
        "/api/v1/scenarios",
        json.dumps({"name": "Other"}),
        content_type="application/json",
        headers=_auth(users["member"]),
    ).json()["id"]
    queued = _level(client, other, users["member"]).json()["id"]
    assert leveling.run_leveling(queued, today=MON).state == "done"
    assert _stored(lost)["state"] == "failed"

"""The leveling-run API a nightly script drives: the 202's ``Location``, the scenario's runs
newest first, the 409 naming the run under way, a run no worker takes, the documented
result and the closed sets as enums."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from pmo.resources import leveling
from pmo.resources.models import LevelingRun
from pmo.resources.tests.factories import MON, allocate, bearer, pool

FRI = MON + dt.timedelta(days=4)


def _post(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def _overloaded_scenario(client: Any, users: Any, org: Any, make_project: Any) -> int:
    java = pool(org)  # 2 FTE, three projects wanting 1 FTE each in one week
    for priority in (1, 3, 5):
        allocate(java, make_project(priority=priority), MON, FRI, "1", status="committed")
    return _post(client, "/api/v1/scenarios", {"name": "Level"}, users["member"]).json()["id"]


def test_a_queued_run_has_a_location_and_blocks_another_naming_itself(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk = _overloaded_scenario(client, users, org, make_project)
    queued = _post(client, f"/api/v1/scenarios/{pk}/level", {"time_limit": 2}, users["member"])
    assert queued.status_code == 202
    run_id = queued.json()["id"]
    assert queued["Location"] == f"/api/v1/leveling-runs/{run_id}"
    assert queued.json()["url"] == queued["Location"]
    assert client.get(queued["Location"], headers=bearer(users["exec"])).json()["id"] == run_id
    again = _post(client, f"/api/v1/scenarios/{pk}/level", {}, users["member"])
    assert again.status_code == 409
    assert (again.json()["run_id"], again.json()["run_url"]) == (run_id, queued["Location"])


def test_a_run_no_worker_takes_says_so(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk = _overloaded_scenario(client, users, org, make_project)
    run_id = _post(client, f"/api/v1/scenarios/{pk}/level", {}, users["member"]).json()["id"]
    fresh = client.get(f"/api/v1/leveling-runs/{run_id}", headers=bearer(users["exec"])).json()
    assert fresh["queued_for_seconds"] < 30
    assert fresh["hint"] is None
    LevelingRun.objects.filter(pk=run_id).update(
        created_at=timezone.now() - dt.timedelta(seconds=95)
    )
    waiting = client.get(f"/api/v1/leveling-runs/{run_id}", headers=bearer(users["exec"])).json()
    assert 95 <= waiting["queued_for_seconds"] < 120
    assert "no worker has taken it" in waiting["hint"]
    leveling.run_leveling(run_id, today=MON)
    done = client.get(f"/api/v1/leveling-runs/{run_id}", headers=bearer(users["exec"])).json()
    assert (done["state"], done["queued_for_seconds"], done["hint"]) == ("done", None, None)


def test_the_runs_of_a_scenario_newest_first_with_their_result(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk = _overloaded_scenario(client, users, org, make_project)
    ids = []
    for _i in range(2):
        run_id = _post(client, f"/api/v1/scenarios/{pk}/level", {"time_limit": 2}, users["member"])
        ids.append(run_id.json()["id"])
        leveling.run_leveling(ids[-1], today=MON)
    listed = client.get(f"/api/v1/scenarios/{pk}/leveling-runs", headers=bearer(users["exec"]))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["items"]] == ids[::-1]
    first = next(r for r in listed.json()["items"] if r["id"] == ids[0])
    projects = {p["priority"]: p for p in first["result"]["projects"]}
    assert projects[1]["delay"] == 0  # priority 1 is the highest: not delayed
    assert projects[5]["delay"] == 5  # a week later: 5 working days
    assert first["result"]["solver"]["status"] == "optimal"
    assert [m["days"] for m in first["result"]["moved"]] == [5]
    missing = client.get("/api/v1/scenarios/99999/leveling-runs", headers=bearer(users["exec"]))
    assert missing.status_code == 404


def test_the_schema_documents_the_result_and_the_closed_sets(client: Any) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    run = schemas["LevelingRunOut"]["properties"]
    assert run["state"]["enum"] == ["queued", "running", "done", "failed", "cancelled"]
    assert "solving" in run["phase"]["enum"]
    assert run["result"]["$ref"].endswith("LevelingResultOut")
    result = schemas["LevelingResultOut"]["properties"]
    assert set(result) == {
        "projects",
        "moved",
        "not_levelable",
        "pinned_overload",
        "calendars",
        "solver",
    }
    assert "WORKING days" in schemas["LevelingProjectOut"]["properties"]["delay"]["description"]
    assert "1 (highest)" in schemas["LevelingProjectOut"]["properties"]["priority"]["description"]
    assert schemas["LevelingMoveOut"]["properties"]["kind"]["enum"] == ["task", "allocation"]
    assert set(schemas["SolverOut"]["properties"]) >= {"objective", "bound", "gap", "status"}
    assert schemas["ScenarioOut"]["properties"]["state"]["enum"] == [
        "draft",
        "committed",
        "discarded",
    ]
    assert "calendar days" in schemas["ShiftOut"]["properties"]["days"]["description"]


def test_a_run_stored_before_the_schema_is_still_answered(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk = _overloaded_scenario(client, users, org, make_project)
    old = {  # the first sessions' result: no new_id/kept_last, not_levelable by resource_id
        "projects": [{"project": "T001", "priority": 1, "delay": 0}],
        "moved": [
            {
                "id": 1,
                "project": "T001",
                "resource": "java-sh",
                "fte": 1.0,
                "first": "2026-03-02",
                "last": "2026-03-06",
                "new_first": "2026-03-09",
                "new_last": "2026-03-13",
                "days": 5,
            }
        ],
        "not_levelable": [
            {"id": 2, "project": "T002", "resource_id": 1, "first": "2026-03-02"}
            | {"last": "2026-03-02", "fte": 9.0}
        ],
        "solver": {"status": "nothing to move", "objective": 0, "bound": 0, "gap": 0.0},
    }
    run = LevelingRun.objects.create(scenario_id=pk, state="done", phase="done", result=old)
    answer = client.get(f"/api/v1/leveling-runs/{run.pk}", headers=bearer(users["exec"]))
    assert answer.status_code == 200
    assert answer.json()["result"]["moved"][0]["kept_last"] is None
    assert answer.json()["result"]["not_levelable"][0]["resource"] == ""

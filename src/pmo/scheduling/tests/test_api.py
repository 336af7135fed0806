"""Plan endpoints of the REST API: read, edit with version check, baselines, import/export."""

from __future__ import annotations

import json
from typing import Any

from pmo.accounts.services import create_token
from pmo.scheduling import services
from pmo.scheduling.tests.factories import DAY, small_plan


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def _plan(make_project: Any, users: Any) -> Any:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    return project


def test_get_plan_and_tasks(client: Any, make_project: Any, users: Any) -> None:
    project = _plan(make_project, users)
    body = client.get(
        f"/api/v1/projects/{project.code}/plan", headers=_auth(users["viewer"])
    ).json()
    assert (body["start"], body["finish"], body["tasks"], body["state"]) == (
        "2026-03-02T08:00:00",
        "2026-03-11T17:00:00",
        5,
        "current",
    )
    tasks = client.get(
        f"/api/v1/projects/{project.code}/plan/tasks", headers=_auth(users["viewer"])
    ).json()
    assert tasks["count"] == 5
    assert [
        (t["uid"], t["critical"], t["parent_uid"], t["predecessors"]) for t in tasks["items"]
    ] == [
        (1, False, None, []),
        (2, True, 1, []),
        (3, True, 1, [2]),
        (4, False, 1, [2]),
        (5, True, None, [3, 4]),
    ]


def test_patch_task_returns_what_moved_and_409_on_stale_version(
    client: Any, make_project: Any, users: Any
) -> None:
    project = _plan(make_project, users)
    url = f"/api/v1/projects/{project.code}/plan/tasks/3"
    body = json.dumps({"version": 1, "duration": 6 * DAY})
    response = client.patch(url, body, content_type="application/json", headers=_auth(users["pm"]))
    assert response.status_code == 200
    assert [(m["uid"], m["finish_days"]) for m in response.json()["moved"]] == [
        (1, 1),
        (3, 1),
        (5, 1),
    ]
    stale = client.patch(url, body, content_type="application/json", headers=_auth(users["pm"]))
    assert (stale.status_code, stale.json()["current_version"]) == (409, 2)
    bad = client.patch(
        url,
        json.dumps({"version": 2, "duration": -1}),
        content_type="application/json",
        headers=_auth(users["pm"]),
    )
    assert bad.status_code == 422
    denied = client.patch(
        url,
        json.dumps({"version": 2, "duration": 1}),
        content_type="application/json",
        headers=_auth(users["viewer"]),
    )
    assert denied.status_code == 403


def test_links_and_baselines(client: Any, make_project: Any, users: Any) -> None:
    project = _plan(make_project, users)
    base = f"/api/v1/projects/{project.code}/plan"
    response = client.put(
        f"{base}/links",
        json.dumps({"pred_uid": 4, "succ_uid": 3, "type": "FS"}),
        content_type="application/json",
        headers=_auth(users["pm"]),
    )
    assert response.status_code == 200
    cycle = client.put(
        f"{base}/links",
        json.dumps({"pred_uid": 5, "succ_uid": 2}),
        content_type="application/json",
        headers=_auth(users["pm"]),
    )
    assert (cycle.status_code, cycle.json()["detail"]) == (
        422,
        "the links form a cycle: UID 2 -> UID 3 -> UID 5",
    )
    assert [e["field"] for e in cycle.json()["errors"]] == ["pred_uid", "succ_uid"]
    links = client.get(f"{base}/links", headers=_auth(users["pm"])).json()["items"]
    assert (5, 2) not in [(k["pred_uid"], k["succ_uid"]) for k in links]
    itself = client.put(
        f"{base}/links",
        json.dumps({"pred_uid": 2, "succ_uid": 2}),
        content_type="application/json",
        headers=_auth(users["pm"]),
    )
    assert itself.json()["errors"] == [
        {"field": "succ_uid", "message": "a task cannot depend on itself"}
    ]
    created = client.post(
        f"{base}/baselines",
        json.dumps({"number": 1, "name": "approved"}),
        content_type="application/json",
        headers=_auth(users["pm"]),
    )
    assert (created.status_code, created.json()["name"]) == (201, "approved")
    out_of_range = client.post(
        f"{base}/baselines",
        json.dumps({"number": 11}),
        content_type="application/json",
        headers=_auth(users["pm"]),
    )
    assert out_of_range.status_code == 422


def test_an_edit_that_makes_the_plan_unschedulable_names_the_field(
    client: Any, make_project: Any, users: Any
) -> None:
    project = _plan(make_project, users)
    url = f"/api/v1/projects/{project.code}/plan/tasks/4"
    body = {"version": 1, "constraint": "MSO", "constraint_date": "2149-12-01T08:00:00"}
    refused = client.patch(
        url, json.dumps(body), content_type="application/json", headers=_auth(users["pm"])
    )
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["constraint", "constraint_date"]
    assert all(e["message"] == refused.json()["detail"] for e in errors)
    assert "outside the plan's horizon" in refused.json()["detail"]
    task = client.get(
        f"/api/v1/projects/{project.code}/plan/tasks", headers=_auth(users["pm"])
    ).json()["items"][3]
    assert (task["constraint"], task["constraint_date"], task["version"]) == ("ASAP", None, 1)


def test_plan_times_are_wall_clock_times_without_a_zone(
    client: Any, make_project: Any, users: Any
) -> None:
    # given a plan whose task 4 may take a start-no-earlier-than constraint
    project = _plan(make_project, users)
    url = f"/api/v1/projects/{project.code}/plan/tasks/4"
    tasks = f"/api/v1/projects/{project.code}/plan/tasks"
    start = client.get(tasks, headers=_auth(users["pm"])).json()["items"][3]["start"]
    day = start[:10]
    # when a client sends the constraint with a zone (which used to be turned into UTC)
    zoned = {"version": 1, "constraint": "SNET", "constraint_date": f"{day}T08:00:00+08:00"}
    refused = client.patch(
        url, json.dumps(zoned), content_type="application/json", headers=_auth(users["pm"])
    )
    # then it is a 422 naming the field, and nothing changed
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "constraint_date"
    assert "without a zone, as 2026-03-02T08:00:00" in refused.json()["detail"]
    task = client.get(tasks, headers=_auth(users["pm"])).json()["items"][3]
    assert (task["constraint"], task["version"]) == ("ASAP", 1)
    # and the same wall-clock time without a zone is kept as written, and read back so
    local = {**zoned, "constraint_date": f"{day}T08:00:00"}
    saved = client.patch(
        url, json.dumps(local), content_type="application/json", headers=_auth(users["pm"])
    )
    assert saved.status_code == 200, saved.content
    task = client.get(tasks, headers=_auth(users["pm"])).json()["items"][3]
    assert (task["constraint"], task["constraint_date"]) == ("SNET", f"{day}T08:00:00")
    # the API document says so: date-time-local (RFC 3339 without the offset), not date-time
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for schema, field in (("TaskOut", "start"), ("TaskPatch", "constraint_date")):
        assert schemas[schema]["properties"][field]["anyOf"][0]["format"] == "date-time-local"
    assert schemas["PlanOut"]["properties"]["start"]["format"] == "date-time-local"
    assert schemas["BaselineOut"]["properties"]["saved_at"]["format"] == "date-time"

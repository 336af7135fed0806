"""Scenario calls a nightly script may retry: an absolute project shift (PUT), the POST that
adds, a priority cleared by null, and edits refused while a leveling run is under way."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pmo.resources.models import Allocation, LevelingRun, ProjectShift, Scenario
from pmo.resources.tests.factories import MON, allocate, bearer, pool


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def _scenario(client: Any, users: Any, org: Any, make_project: Any) -> tuple[int, Any, Any]:
    project = make_project()
    java = pool(org)
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    made = _send(client, "post", "/api/v1/scenarios", {"name": "Nightly"}, users["member"])
    return made.json()["id"], project, java


def test_post_adds_and_put_sets_the_total(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk, project, _java = _scenario(client, users, org, make_project)
    url = f"/api/v1/scenarios/{pk}/shifts"
    for days in (20, 10):
        _send(client, "post", url, {"project": project.code, "days": days}, users["member"])
    row = Allocation.objects.get(scenario_id=pk)
    assert (row.first - MON).days == 30
    put = f"{url}/{project.code}"
    first = _send(client, "put", put, {"days": 7}, users["member"])
    version = Scenario.objects.get(pk=pk).version
    again = _send(client, "put", put, {"days": 7}, users["member"])
    assert first.status_code == again.status_code == 200
    assert again.json() == {"project": project.code, "days": 7, "priority": None, "pinned": False}
    row.refresh_from_db()
    assert row.first == MON + dt.timedelta(days=7)
    assert Scenario.objects.get(pk=pk).version == version  # the retry changed nothing


def test_put_refuses_a_total_out_of_bounds(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk, project, _java = _scenario(client, users, org, make_project)
    answer = _send(
        client,
        "put",
        f"/api/v1/scenarios/{pk}/shifts/{project.code}",
        {"days": 4000},
        users["member"],
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "days"


def test_priority_null_clears_the_scenarios_priority(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk, project, _java = _scenario(client, users, org, make_project)
    url = f"/api/v1/scenarios/{pk}/shifts"
    body = {"project": project.code, "days": 0}
    _send(client, "post", url, {**body, "priority": 1}, users["member"])
    kept = _send(client, "post", url, body, users["member"])
    assert kept.json()["priority"] == 1  # left out: unchanged
    cleared = _send(client, "post", url, {**body, "priority": None}, users["member"])
    assert cleared.json()["priority"] is None
    assert ProjectShift.objects.get(scenario_id=pk).priority is None
    _send(client, "put", f"{url}/{project.code}", {"days": 0, "priority": 2}, users["member"])
    put = _send(
        client, "put", f"{url}/{project.code}", {"days": 0, "priority": None}, users["member"]
    )
    assert put.json()["priority"] is None


def test_edits_of_a_scenario_under_a_run_are_409_naming_the_run(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk, project, java = _scenario(client, users, org, make_project)
    run = LevelingRun.objects.create(scenario_id=pk, created_by=users["member"])
    copy = Allocation.objects.get(scenario_id=pk)
    answers = [
        _send(
            client,
            "post",
            f"/api/v1/scenarios/{pk}/shifts",
            {"project": project.code, "days": 3},
            users["member"],
        ),
        _send(
            client,
            "put",
            f"/api/v1/scenarios/{pk}/shifts/{project.code}",
            {"days": 3},
            users["member"],
        ),
        _send(
            client,
            "post",
            "/api/v1/allocations",
            {
                "resource_id": java.pk,
                "project": project.code,
                "first": str(MON),
                "last": str(MON),
                "fte": "1",
                "scenario_id": pk,
            },
            users["member"],
        ),
        _send(
            client,
            "patch",
            f"/api/v1/allocations/{copy.pk}",
            {"version": 1, "fte": "2"},
            users["member"],
        ),
        client.delete(f"/api/v1/allocations/{copy.pk}?version=1", headers=bearer(users["member"])),
        _send(client, "post", f"/api/v1/scenarios/{pk}/commit", {}, users["member"]),
        _send(client, "post", f"/api/v1/scenarios/{pk}/refresh", {}, users["member"]),
        _send(client, "post", f"/api/v1/scenarios/{pk}/level", {}, users["member"]),
    ]
    for answer in answers:
        assert answer.status_code == 409, answer.json()
        assert answer.json()["run_id"] == run.pk
        assert answer.json()["run_url"] == f"/api/v1/leveling-runs/{run.pk}"
        assert f"leveling run {run.pk} of this scenario is under way" in answer.json()["detail"]
    copy.refresh_from_db()
    assert (copy.first, copy.fte, copy.version) == (MON, 1, 1)
    assert Allocation.objects.filter(scenario_id=pk).count() == 1


def test_a_discard_with_a_stale_version_discards_nothing(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pk, project, _java = _scenario(client, users, org, make_project)
    version = Scenario.objects.get(pk=pk).version
    _send(
        client,
        "post",
        f"/api/v1/scenarios/{pk}/shifts",
        {"project": project.code, "days": 5},
        users["member"],
    )

    stale = client.post(
        f"/api/v1/scenarios/{pk}/discard?version={version}", headers=bearer(users["member"])
    )
    current = Scenario.objects.get(pk=pk).version
    done = client.post(
        f"/api/v1/scenarios/{pk}/discard?version={current}", headers=bearer(users["member"])
    )

    assert stale.status_code == 409, stale.json()
    assert stale.json()["current_version"] == current
    assert done.status_code == 200, done.json()
    assert Scenario.objects.get(pk=pk).state == "discarded"

"""A scenario's priority of a project weighs its leveling only: committing keeps the
project's own priority (a PMO-only field; resource managers commit scenarios), and the API
schema, the scenario page and its commit confirmation say so (API audit, 2026-12-07)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pmo.resources.tests.factories import MON, allocate, bearer, pool


def _post(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def test_commit_keeps_the_projects_priority_and_the_page_says_so(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    project = make_project(priority=3)
    allocate(pool(org), project, MON, MON + dt.timedelta(days=4), "1")
    member = users["member"]
    pk = _post(client, "/api/v1/scenarios", {"name": "Priorities"}, member).json()["id"]
    shift = _post(
        client,
        f"/api/v1/scenarios/{pk}/shifts",
        {"project": project.code, "days": 14, "priority": 5},
        member,
    )
    assert shift.json()["priority"] == 5
    client.force_login(member)
    page = client.get(f"/resources/scenarios/{pk}/").content.decode()
    assert 'data-testid="priority-not-committed"' in page
    assert "the projects keep their own priorities" in page
    assert _post(client, f"/api/v1/scenarios/{pk}/commit", {}, member).status_code == 200
    got = client.get(f"/api/v1/projects/{project.code}", headers=bearer(member)).json()
    assert got["priority"] == 3


def test_the_schema_says_a_commit_keeps_the_projects_priority(client: Any) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ShiftIn", "ShiftPut"):
        text = schemas[name]["properties"]["priority"]["description"]
        assert "committing the scenario does not change the project's priority" in text
    assert (
        "a commit keeps the project's own priority"
        in (schemas["ShiftOut"]["properties"]["priority"]["description"])
    )

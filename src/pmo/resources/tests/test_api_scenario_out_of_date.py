"""A scenario says in the API whether it is out of date (the current plan changed since its
copy), as its page does, before a client commits and gets a 409 (API audit, 2026-12-07)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pmo.resources.tests.factories import MON, allocate, bearer, pool


def _post(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def test_a_scenario_says_when_it_is_out_of_date(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    project = make_project()
    java = pool(org)
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    member = users["member"]
    pk = _post(client, "/api/v1/scenarios", {"name": "What-if"}, member).json()["id"]
    fresh = client.get(f"/api/v1/scenarios/{pk}", headers=bearer(member)).json()
    assert (fresh["out_of_date"], fresh["out_of_date_reason"]) == (False, None)
    allocate(java, project, MON + dt.timedelta(days=14), MON + dt.timedelta(days=18), "1")
    stale = client.get(f"/api/v1/scenarios/{pk}", headers=bearer(member)).json()
    assert (stale["out_of_date"], stale["out_of_date_reason"]) == (True, "allocations")
    listed = client.get("/api/v1/scenarios", headers=bearer(member)).json()["items"]
    assert [(s["id"], s["out_of_date"], s["out_of_date_reason"]) for s in listed] == [
        (pk, True, "allocations")
    ]
    # what the field says is what the commit does
    assert _post(client, f"/api/v1/scenarios/{pk}/commit", {}, member).status_code == 409
    _post(client, f"/api/v1/scenarios/{pk}/refresh", {}, member)
    again = client.get(f"/api/v1/scenarios/{pk}", headers=bearer(member)).json()
    assert again["out_of_date"] is False
    assert _post(client, f"/api/v1/scenarios/{pk}/commit", {}, member).status_code == 200
    closed = client.get(f"/api/v1/scenarios/{pk}", headers=bearer(member)).json()
    assert (closed["state"], closed["out_of_date"]) == ("committed", False)


def test_the_fields_are_described_in_the_schema(client: Any, users: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ScenarioOut"]
    assert "refresh" in schema["properties"]["out_of_date"]["description"]
    assert "capacity" in schema["properties"]["out_of_date_reason"]["description"]

"""A retried ``POST /allocations`` with the client's ``external_ref`` leaves one row: the
second call changes the row the first made (200), in the current plan and in a scenario,
and the key travels with the row into a scenario and back on commit."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pmo.resources import refresh, services
from pmo.resources.models import Allocation, Scenario
from pmo.resources.tests.factories import MON, bearer, pool


def _post(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def _body(resource: Any, project: Any, **fields: Any) -> dict[str, Any]:
    return {
        "resource_id": resource.pk,
        "project": project.code,
        "first": str(MON),
        "last": str(MON + dt.timedelta(days=4)),
        "fte": "1",
        "external_ref": "nightly-42",
        **fields,
    }


def test_a_retried_post_with_the_same_ref_leaves_one_row(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java, project = pool(org), make_project()
    first = _post(client, "/api/v1/allocations", _body(java, project), users["admin"])
    again = _post(client, "/api/v1/allocations", _body(java, project, fte="1.5"), users["admin"])
    same = _post(client, "/api/v1/allocations", _body(java, project, fte="1.5"), users["admin"])
    assert (first.status_code, again.status_code, same.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == same.json()["id"]
    assert again.json()["external_ref"] == "nightly-42"
    row = Allocation.objects.get()
    assert (row.fte, row.version) == (Decimal("1.5"), 2)  # the repeat changed nothing more
    plain = _post(
        client, "/api/v1/allocations", _body(java, project, external_ref=None), users["admin"]
    )
    assert plain.status_code == 201
    assert plain.json()["external_ref"] is None
    assert Allocation.objects.count() == 2


def test_a_ref_is_unique_per_layer_and_travels_with_the_scenario(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java, project = pool(org), make_project()
    live = _post(client, "/api/v1/allocations", _body(java, project), users["admin"]).json()
    pk = _post(client, "/api/v1/scenarios", {"name": "Nightly"}, users["member"]).json()["id"]
    in_scenario = _post(
        client,
        "/api/v1/allocations",
        _body(java, project, fte="0.5", scenario_id=pk),
        users["member"],
    )
    assert in_scenario.status_code == 200  # the scenario's copy of the plan's row
    copy = Allocation.objects.get(scenario_id=pk)
    assert (copy.origin_id, copy.fte) == (live["id"], Decimal("0.5"))
    added = _post(
        client,
        "/api/v1/allocations",
        _body(java, project, scenario_id=pk, external_ref="nightly-43"),
        users["member"],
    )
    assert added.status_code == 201
    assert _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["member"]).status_code == 200
    plan = {a.external_ref: a for a in Allocation.objects.filter(scenario=None)}
    assert set(plan) == {"nightly-42", "nightly-43"}
    assert plan["nightly-42"].pk == live["id"] and plan["nightly-42"].fte == Decimal("0.5")


def test_a_refresh_keeps_the_scenarios_own_row_with_a_ref_the_plan_took_later(
    users: Any, org: Any, make_project: Any
) -> None:
    java, project = pool(org), make_project()
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Mine")
    row = {"resource_id": java.pk, "project_id": project.pk, "first": MON, "last": MON}
    services.upsert_allocation(
        actor=member, data={**row, "fte": Decimal("1"), "external_ref": "x"}, scenario=scenario
    )
    services.upsert_allocation(actor=member, data={**row, "fte": Decimal("2"), "external_ref": "x"})
    refresh.refresh_scenario(actor=member, scenario=Scenario.objects.get(pk=scenario.pk))
    rows = Allocation.objects.filter(scenario=scenario).order_by("pk")
    assert [(a.fte, a.external_ref) for a in rows] == [(Decimal("1"), "x"), (Decimal("2"), "")]


def test_a_blank_ref_is_refused(client: Any, users: Any, org: Any, make_project: Any) -> None:
    answer = _post(
        client,
        "/api/v1/allocations",
        _body(pool(org), make_project(), external_ref=" "),
        users["admin"],
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "external_ref"

"""Allocations the API refuses (inactive resource, outside its availability) and those it
stores with ``warnings`` (past the project's planned finish, above the resource's capacity)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pmo.resources.models import Allocation, CapacityChange
from pmo.resources.tests.factories import MON, bearer, pool


def _post(client: Any, body: Any, user: Any) -> Any:
    return client.post(
        "/api/v1/allocations",
        json.dumps(body),
        content_type="application/json",
        headers=bearer(user),
    )


def _body(resource: Any, project: Any, **fields: Any) -> dict[str, Any]:
    return {
        "resource_id": resource.pk,
        "project": project.code,
        "first": str(MON),
        "last": str(MON + dt.timedelta(days=4)),
        "fte": "0.5",
        **fields,
    }


def test_an_inactive_resource_is_refused_naming_it(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    gone = pool(org, active=False)
    answer = _post(client, _body(gone, make_project()), users["admin"])
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "resource_id"
    assert "java-sh is inactive" in answer.json()["detail"]
    assert not Allocation.objects.exists()


def test_dates_outside_the_resources_availability_are_refused(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    hired = pool(org, available_from=MON, available_until=MON + dt.timedelta(days=30))
    project = make_project()
    early = _post(
        client, _body(hired, project, first=str(MON - dt.timedelta(days=1))), users["admin"]
    )
    late = _post(
        client, _body(hired, project, last=str(MON + dt.timedelta(days=31))), users["admin"]
    )
    inside = _post(
        client, _body(hired, project, last=str(MON + dt.timedelta(days=30))), users["admin"]
    )
    assert (early.status_code, early.json()["errors"][0]["field"]) == (422, "first")
    assert "available from 2026-03-02" in early.json()["detail"]
    assert (late.status_code, late.json()["errors"][0]["field"]) == (422, "last")
    assert "available until 2026-04-01" in late.json()["detail"]
    assert inside.status_code == 201
    assert inside.json()["warnings"] == []


def test_a_patch_past_the_leaving_date_is_refused_but_a_shortening_is_not(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    leaver = pool(org)
    made = _post(client, _body(leaver, make_project(), last="2026-03-31"), users["admin"])
    pk = made.json()["id"]
    leaver.available_until = dt.date(2026, 3, 20)
    leaver.save()
    url = f"/api/v1/allocations/{pk}"
    headers = bearer(users["admin"])
    longer = client.patch(
        url, json.dumps({"version": 1, "last": "2026-04-30"}), "application/json", headers=headers
    )
    shorter = client.patch(
        url, json.dumps({"version": 1, "last": "2026-03-25"}), "application/json", headers=headers
    )
    assert (longer.status_code, longer.json()["errors"][0]["field"]) == (422, "last")
    assert shorter.status_code == 200  # still past the leaving day, but not moved later


def test_far_past_the_finish_and_above_capacity_is_stored_with_warnings(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    project = make_project(planned_finish=dt.date(2027, 6, 30))
    half = pool(org, code="ann", kind="person", fte=Decimal("0.5"))
    answer = _post(
        client,
        _body(half, project, first="2035-02-01", last="2099-03-01", fte="50"),
        users["admin"],
    )
    assert answer.status_code == 201
    warnings = answer.json()["warnings"]
    assert len(warnings) == 2
    assert "ends on 2099-03-01, after the planned finish of T001 (2027-06-30)" in warnings[0]
    assert "50 FTE on ann, a person: a person works at most 1 FTE" in warnings[1]
    assert Allocation.objects.get().fte == Decimal("50")


def test_a_pools_capacity_counts_its_capacity_changes(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)  # 2 FTE
    project = make_project()
    CapacityChange.objects.create(
        resource=java, first=MON, last=MON + dt.timedelta(days=60), fte=Decimal("6")
    )
    grown = _post(client, _body(java, project, fte="5"), users["admin"])
    too_much = _post(client, _body(java, project, fte="7"), users["admin"])
    assert grown.json()["warnings"] == []
    assert too_much.status_code == 201
    assert too_much.json()["warnings"] == [
        "7 FTE is more than the capacity of java-sh in these dates (6 FTE at most): the "
        "allocation overloads it on its own."
    ]


def test_a_person_above_one_fte_is_warned_of(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    person = pool(org, code="bob", kind="person", fte=Decimal("1"))
    answer = _post(client, _body(person, make_project(), fte="3"), users["admin"])
    assert answer.status_code == 201
    assert answer.json()["warnings"] == ["3 FTE on bob, a person: a person works at most 1 FTE."]


def test_the_schema_documents_the_warnings(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    saved = schema["components"]["schemas"]["AllocationSavedOut"]
    assert "warnings" in saved["properties"]
    post = schema["paths"]["/api/v1/allocations"]["post"]["responses"]["201"]
    assert post["content"]["application/json"]["schema"]["$ref"].endswith("AllocationSavedOut")

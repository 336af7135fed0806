"""An allocation naming a resource that does not exist is a 422 at ``resource_id`` worded as
the rest of the API ("no resource 9999"), in the reader's language; never Django's "resource
instance with id 9999 is not a valid choice."."""

from __future__ import annotations

import json
from typing import Any

from pmo.resources.models import Allocation
from pmo.resources.tests.factories import bearer, pool
from pmo.resources.tests.test_api_allocation_checks import _body, _post


def test_a_new_allocation_of_no_resource_names_the_id(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    body = {**_body(pool(org), make_project()), "resource_id": 9999}
    answer = _post(client, body, users["admin"])
    assert answer.status_code == 422, answer.content
    assert answer.json() == {
        "detail": "resource_id: no resource 9999",
        "errors": [{"field": "resource_id", "message": "no resource 9999"}],
    }
    assert not Allocation.objects.exists()


def test_a_change_to_no_resource_names_the_id_and_changes_nothing(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    made = _post(client, _body(pool(org), make_project()), users["admin"])
    pk = made.json()["id"]
    answer = client.patch(
        f"/api/v1/allocations/{pk}",
        json.dumps({"version": 1, "resource_id": 9999}),
        "application/json",
        headers=bearer(users["admin"]),
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"] == [{"field": "resource_id", "message": "no resource 9999"}]
    assert Allocation.objects.get(pk=pk).version == 1


def test_the_unknown_resource_reads_in_chinese(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    body = {**_body(pool(org), make_project()), "resource_id": 9999}
    answer = client.post(
        "/api/v1/allocations",
        json.dumps(body),
        content_type="application/json",
        headers={**bearer(users["admin"]), "Accept-Language": "zh-hans"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "resource_id", "message": "没有资源 9999"}]

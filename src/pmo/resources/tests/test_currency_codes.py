"""A resource's cost-rate currency is an ISO 4217 code (ADR 0016): the API refuses another with
a 422 naming ``currency``; a code stored before codes were checked is kept while unchanged."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from pmo.resources.models import Resource

JSON = "application/json"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_refuses_a_cost_rate_currency_that_is_not_iso(users: Any, org: Any) -> None:
    client = _client(users["admin"])
    body = {"code": "pool", "name": "N", "kind": "pool", "role": "R", "org_unit_id": org["sh"].pk}
    response = client.post(
        "/api/v1/resources", json.dumps({**body, "currency": "ZZZ"}), content_type=JSON
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]
    assert not Resource.objects.exists()
    response = client.post(
        "/api/v1/resources", json.dumps({**body, "currency": "gbp"}), content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert Resource.objects.get().currency == "GBP"


def test_a_stored_code_that_is_not_iso_is_kept_while_unchanged(users: Any, org: Any) -> None:
    resource = Resource.objects.create(
        code="old", name="Old", kind="pool", role="R", org_unit=org["sh"], currency="RMB"
    )
    client = _client(users["admin"])
    url = f"/api/v1/resources/{resource.pk}"
    response = client.patch(url, json.dumps({"version": 1, "fte": "3"}), content_type=JSON)
    assert response.status_code == 200, response.content
    response = client.patch(url, json.dumps({"version": 2, "currency": "XYZ"}), content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "currency"
    resource.refresh_from_db()
    assert (resource.fte, resource.currency) == (3, "RMB")


def test_the_capacity_sheet_refuses_an_unknown_currency_at_its_cell(
    client: Any, users: Any, org: Any
) -> None:
    from pmo.resources.tests.test_api import _sheet

    Resource.objects.create(
        code="old", name="Old", kind="pool", role="R", org_unit=org["sh"], currency="RMB"
    )
    header = ["code", "name", "kind", "role", "org_unit", "fte", "cost_rate", "currency"]
    rows = [
        ["old", "Old", "pool", "R", "sh", 2, 100, "RMB"],  # stored before codes were checked
        ["new", "New", "pool", "R", "sh", 1, 100, "XYZ"],
    ]
    client.force_login(users["admin"])
    answer = client.post("/api/v1/capacity/import", {"file": _sheet(rows, None, header)})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "Resources!H3",
            "message": "“XYZ” is not an ISO 4217 currency code (such as CNY, USD or EUR)",
        }
    ]
    assert list(Resource.objects.values_list("code", flat=True)) == ["old"]
    rows[1][7] = "usd"
    answer = client.post("/api/v1/capacity/import", {"file": _sheet(rows, None, header)})
    assert answer.status_code == 200, answer.json()
    assert dict(Resource.objects.values_list("code", "currency")) == {"old": "RMB", "new": "USD"}

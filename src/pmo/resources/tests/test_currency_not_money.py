"""A resource's cost-rate currency must be money: ISO 4217's codes for metals, testing or "no
currency" are refused naming ``currency`` by the API and at their cell by the capacity sheet
(ADR 0016)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pmo.resources.models import Resource
from pmo.resources.tests.test_api import _sheet

JSON = "application/json"


@pytest.mark.parametrize("code", ["XAU", "XTS", "XXX", "CLF", "USN"])
def test_the_api_refuses_a_cost_rate_currency_that_is_not_money(
    users: Any, org: Any, code: str
) -> None:
    client = Client()
    client.force_login(users["admin"])
    body = {"code": "pool", "name": "N", "kind": "pool", "role": "R", "org_unit_id": org["sh"].pk}
    response = client.post(
        "/api/v1/resources", json.dumps({**body, "currency": code}), content_type=JSON
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "currency"
    assert error["message"].endswith(
        "is an ISO 4217 code but not money: give the currency of a country or area "
        "(such as CNY, USD or EUR)"
    )
    assert not Resource.objects.exists()
    response = client.post(
        "/api/v1/resources", json.dumps({**body, "currency": "xcd"}), content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert Resource.objects.get().currency == "XCD"


def test_the_capacity_sheet_refuses_gold_at_its_cell(client: Any, users: Any) -> None:
    header = ["code", "name", "kind", "role", "org_unit", "fte", "cost_rate", "currency"]
    rows = [["new", "New", "pool", "R", "sh", 1, 100, "xau"]]
    client.force_login(users["admin"])
    answer = client.post("/api/v1/capacity/import", {"file": _sheet(rows, None, header)})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "Resources!H2",
            "message": "“XAU” (Gold) is an ISO 4217 code but not money: give the currency of a "
            "country or area (such as CNY, USD or EUR)",
        }
    ]
    assert not Resource.objects.exists()

"""The API's cell causes and room in role take ``committed_only`` as the heat map does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.accounts.services import create_token
from pmo.resources.tests.factories import MON, allocate, pool


def _get(client: Any, user: Any, url: str) -> Any:
    token = create_token(username=user.username, name="t")
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    return response.json()


def test_causes_and_room_leave_proposed_work_out_when_asked(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    java, other = pool(org), pool(org, code="java-sz", name="Java developer, Shenzhen")
    firm, maybe = make_project(), make_project()
    week = f"first={MON}&last={MON + dt.timedelta(days=6)}"
    allocate(java, firm, MON, MON + dt.timedelta(days=4), "1", status="committed")
    allocate(java, maybe, MON, MON + dt.timedelta(days=4), "1.5", status="proposed")
    allocate(other, maybe, MON, MON + dt.timedelta(days=4), "0.5", status="proposed")
    causes = f"/api/v1/capacity/causes?by=role&key=Java developer&{week}"
    every = _get(client, users["exec"], causes)
    firm_only = _get(client, users["exec"], causes + "&committed_only=true")
    assert sorted(c["code"] for c in every) == sorted([firm.code, maybe.code])
    assert [(c["code"], c["demand"]) for c in firm_only] == [(firm.code, 1.0)]
    room = f"/api/v1/capacity/room?resource_id={java.pk}&{week}"
    assert [r["free"] for r in _get(client, users["exec"], room)] == [1.5]
    assert [r["free"] for r in _get(client, users["exec"], room + "&committed_only=true")] == [2.0]


def test_compare_refuses_an_id_too_large_to_store(client: Any, users: Any) -> None:
    token = create_token(username=users["exec"].username, name="t")
    response = client.get(
        f"/api/v1/scenarios/compare?ids={10**25}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["ids.0"]

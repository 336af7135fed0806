"""``GET /api/v1/resources/{id}/audit``: a resource's history through the API, as its page
shows it — its creation and edits and its capacity changes of the current plan, newest
first, without another resource's or a scenario's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pmo.resources.models import Scenario
from pmo.resources.tests.factories import bearer


def test_a_resource_history_newest_first(client: Any, users: Any, org: Any) -> None:
    headers = bearer(users["admin"])

    def send(method: str, url: str, body: dict[str, Any]) -> Any:
        answer = getattr(client, method)(
            url, body, content_type="application/json", headers=headers
        )
        assert answer.status_code in (200, 201), answer.content
        return answer.json()

    body = {"code": "ann", "name": "Ann", "kind": "person", "role": "Tester", "org_unit": "sh"}
    ann = send("post", "/api/v1/resources", body)
    other = send("post", "/api/v1/resources", {**body, "code": "bob", "name": "Bob"})
    send("patch", f"/api/v1/resources/{ann['id']}", {"version": ann["version"], "fte": "0.8"})
    leave = {"first": "2027-03-01", "last": "2027-03-05", "fte": "0", "reason": "Leave"}
    send("post", f"/api/v1/resources/{ann['id']}/capacity", leave)
    send("post", f"/api/v1/resources/{other['id']}/capacity", leave)  # Bob's: not Ann's
    scenario = Scenario.objects.create(name="What if")
    send(
        "post",
        f"/api/v1/resources/{ann['id']}/capacity",
        {**leave, "first": "2027-04-01", "last": "2027-04-02", "scenario_id": scenario.pk},
    )

    got = client.get(f"/api/v1/resources/{ann['id']}/audit", headers=bearer(users["member"]))
    assert got.status_code == 200
    page = got.json()
    assert page["count"] == 3
    events = page["items"]
    assert [(e["action"], e["object_type"]) for e in events] == [
        ("create", "resources.capacitychange"),
        ("update", "resources.resource"),
        ("create", "resources.resource"),
    ]
    assert [Decimal(v) for v in events[1]["changes"]["fte"]] == [Decimal("1"), Decimal("0.8")]
    assert {e["actor"] for e in events} == {"admin"}

    assert client.get("/api/v1/resources/999999/audit", headers=headers).status_code == 404
    viewer = client.get(f"/api/v1/resources/{ann['id']}/audit", headers=bearer(users["viewer"]))
    assert viewer.status_code == 403

"""``GET /api/v1/allocations`` narrowed to a window of days and a status (an integrator
syncing one quarter's committed staffing need not pull every row)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.resources.tests.factories import MON, allocate, bearer, pool


def test_allocations_in_a_window_and_of_a_status(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    week = dt.timedelta(days=7)
    march = allocate(java, project, MON, MON + dt.timedelta(days=4), "1", status="committed")
    april = allocate(java, project, MON + 5 * week, MON + 6 * week, "1")
    may = allocate(java, project, MON + 9 * week, MON + 10 * week, "1", status="committed")
    headers = bearer(users["member"])

    def ids(query: str) -> list[int]:
        got = client.get(f"/api/v1/allocations?{query}", headers=headers)
        assert got.status_code == 200, got.content
        return [row["id"] for row in got.json()["items"]]

    assert ids("") == [march.pk, april.pk, may.pk]
    # some days in the window: a row ending on its first day counts
    assert ids(f"first={MON + dt.timedelta(days=4)}&last={MON + 5 * week}") == [march.pk, april.pk]
    assert ids(f"first={MON + 6 * week + dt.timedelta(days=1)}") == [may.pk]
    assert ids(f"last={MON - dt.timedelta(days=1)}") == []
    assert ids("status=committed") == [march.pk, may.pk]
    assert ids(f"status=proposed&first={MON}") == [april.pk]

    backwards = client.get(f"/api/v1/allocations?first={MON}&last={MON - week}", headers=headers)
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "last"
    assert client.get("/api/v1/allocations?status=maybe", headers=headers).status_code == 422

"""A capacity sheet's dates are bounded like every typed date (``pmo.core.dates``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.resources.models import CapacityChange, Resource
from pmo.resources.tests.factories import bearer
from pmo.resources.tests.test_api import _sheet


def test_a_far_year_in_a_capacity_sheet_is_named_by_cell(client: Any, users: Any, org: Any) -> None:
    sheet = _sheet(
        [["ana", "Ana Li", "person", "Analyst", "uk-it", 1, dt.date(202, 4, 1)]],
        [["ana", dt.date(2026, 5, 4), "9999-05-08", 0, "leave"]],
    )
    answer = client.post("/api/v1/capacity/import", {"file": sheet}, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert sorted(errors) == ["Capacity!C2", "Resources!G2"]
    assert all("1984-01-01" in m and "2149-12-31" in m for m in errors.values())
    assert (Resource.objects.count(), CapacityChange.objects.count()) == (0, 0)

"""Refused allocations say which field or which project (found by the API fuzz run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.core.errors import PermissionDeniedError
from pmo.resources import services
from pmo.resources.models import Allocation
from pmo.resources.tests.factories import MON, bearer, pool


def test_an_unknown_project_in_the_body_is_a_422_naming_it(
    client: Any, users: Any, org: Any
) -> None:
    java = pool(org)
    body = {
        "resource_id": java.pk,
        "project": "ZZZ",
        "first": "2026-03-02",
        "last": "2026-03-06",
        "fte": 1,
    }
    answer = client.post(
        "/api/v1/allocations", body, content_type="application/json", headers=bearer(users["admin"])
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["project"]
    assert not Allocation.objects.exists()


def test_a_pm_proposing_on_another_project_is_told_whose_it_is(
    users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    theirs = make_project(code="THEIRS", manager=users["other_pm"].person)
    with pytest.raises(PermissionDeniedError) as refused:
        services.create_allocation(
            actor=users["pm"],
            data={
                "resource_id": java.pk,
                "project_id": theirs.pk,
                "first": MON,
                "last": MON + dt.timedelta(days=4),
                "fte": 1,
                "status": "proposed",
            },
        )
    assert "THEIRS" in refused.value.message and "commit" not in refused.value.message

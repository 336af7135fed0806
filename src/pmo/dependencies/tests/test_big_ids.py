"""Keys in a body larger than the databases hold are a 422 naming the field, not an unnamed
"out of range" (ADR 0009)."""

from __future__ import annotations

from typing import Any

from pmo.dependencies.models import Dependency
from pmo.dependencies.tests.conftest import link


def test_a_huge_milestone_id_is_named(client: Any, users: Any, web: dict[str, Any]) -> None:
    answer = link(
        client,
        users["admin"],
        supplier_project="CORE1",
        supplier_milestone=10**25,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["supplier_milestone"]
    assert not Dependency.objects.exists()

"""Every list of the API pages alike: ``page_size`` up to 500 is honoured (never lowered to
a smaller cap while ``count`` says there are more), above it is a 422 naming ``page_size``
and the maximum, and each list's OpenAPI parameters say its default and the maximum."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from pmo.core.api import MAX_PAGE_SIZE, Pages
from pmo.resources.models import Allocation
from pmo.resources.tests.factories import MON, bearer, pool

ROWS = 120  # more than django-ninja's own cap of 100 a page


@pytest.fixture
def many(org: Any, make_project: Any) -> int:
    resource = pool(org, fte=Decimal("500"))
    project = make_project()
    Allocation.objects.bulk_create(
        Allocation(
            resource=resource,
            project=project,
            first=MON + dt.timedelta(days=7 * n),
            last=MON + dt.timedelta(days=7 * n + 4),
            fte=Decimal("1"),
        )
        for n in range(ROWS)
    )
    return ROWS


def test_the_cap_is_500_a_page() -> None:
    assert MAX_PAGE_SIZE == 500


def test_a_page_size_above_100_is_honoured(client: Any, users: Any, many: int) -> None:
    headers = bearer(users["admin"])
    first = client.get("/api/v1/allocations?page_size=110", headers=headers).json()
    assert (first["count"], len(first["items"])) == (many, 110)
    second = client.get("/api/v1/allocations?page_size=110&page=2", headers=headers).json()
    assert len(second["items"]) == many - 110
    ids = {row["id"] for row in first["items"]} | {row["id"] for row in second["items"]}
    assert len(ids) == many
    everything = client.get(f"/api/v1/allocations?page_size={MAX_PAGE_SIZE}", headers=headers)
    assert len(everything.json()["items"]) == many


def test_the_default_page_of_allocations_is_200(client: Any, users: Any, many: int) -> None:
    answer = client.get("/api/v1/allocations", headers=bearer(users["admin"])).json()
    assert (answer["count"], len(answer["items"])) == (many, many)


@pytest.mark.parametrize("path", ["/api/v1/allocations", "/api/v1/projects", "/api/v1/resources"])
def test_a_page_size_above_the_maximum_is_a_422_naming_it(
    client: Any, users: Any, path: str
) -> None:
    answer = client.get(f"{path}?page_size=501", headers=bearer(users["admin"]))
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"] == [{"field": "page_size", "message": "must be 500 or less"}]


def test_the_page_size_refusal_reads_in_chinese(client: Any, users: Any) -> None:
    headers = {**bearer(users["admin"]), "Accept-Language": "zh-hans"}
    answer = client.get("/api/v1/allocations?page_size=501", headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "须小于或等于 500"


def test_every_list_documents_its_default_and_the_maximum(client: Any, db: Any) -> None:
    with translation.override("en"):
        schema = client.get("/api/v1/openapi.json").json()
    paged = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "page_size":
                    paged[f"{method.upper()} {path}"] = parameter
    assert len(paged) > 20  # every app's lists
    for name, parameter in paged.items():
        schema_of = parameter["schema"]
        maximum = schema_of.get("maximum") or next(
            (s.get("maximum") for s in schema_of.get("anyOf", []) if "maximum" in s), None
        )
        assert maximum == MAX_PAGE_SIZE, name
        assert f"at most {MAX_PAGE_SIZE}" in parameter["description"], name
    allocations = paged["GET /api/v1/allocations"]["description"]
    assert "200 unless given" in allocations
    assert "50 unless given" in paged["GET /api/v1/projects"]["description"]


def test_a_default_above_the_maximum_is_refused_when_the_list_is_declared() -> None:
    with pytest.raises(ImproperlyConfigured, match="the maximum page size"):
        Pages(page_size=MAX_PAGE_SIZE + 1)

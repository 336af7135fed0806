"""Numbers and nulls no database can hold are a 422 from every API operation, never a 500.

Found by fuzzing the OpenAPI schema against the demo (tenth session): ``?page=10**25``,
``?pm=10**25`` or ``?resource_id=10**25`` failed in SQLite's driver, and ``PATCH`` with
``"skills": null`` or ``"criticality": null`` in the database's NOT NULL constraint.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from pmo.accounts.models import User
from pmo.core.errors import FieldError
from pmo.demo.loader import load_demo
from pmo.dependencies.models import Dependency
from pmo.portfolio.models import Project
from pmo.resources.models import Resource

HUGE = 10**25


@pytest.fixture
def demo(client: Any) -> Any:
    load_demo(projects=6, as_of=dt.date(2026, 11, 20))
    client.force_login(User.objects.get(username="admin"))
    return client


def _get_operations(client: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (path, ops["get"].get("parameters", []))
        for path, ops in schema["paths"].items()
        if "get" in ops
    ]


def _is_integer(parameter: dict[str, Any]) -> bool:
    schema = parameter.get("schema", {})
    kinds = [schema.get("type"), *(s.get("type") for s in schema.get("anyOf", []))]
    return "integer" in kinds


def _fill(path: str, code: str) -> str:
    path = path.replace("{code}", code)
    return re.sub(r"\{[a-z_]+\}", "1", path)


@pytest.mark.django_db
def test_every_integer_query_parameter_out_of_range_is_a_client_error(demo: Any) -> None:
    code = Project.objects.order_by("code").first().code
    demo.raise_request_exception = False  # a 500 is counted below, not raised
    probed, failed = [], []
    for path, parameters in _get_operations(demo):
        url = _fill(path, code)
        for parameter in parameters:
            if parameter["in"] != "query" or not _is_integer(parameter):
                continue
            response = demo.get(url, {parameter["name"]: HUGE})
            probed.append((url, parameter["name"], response.status_code))
            if response.status_code >= 500 or (
                response.status_code == 422 and not response.json()["detail"]
            ):
                failed.append((url, parameter["name"], response.status_code))
    assert failed == []
    names = {name for _, name, _ in probed}
    assert {"page", "pm", "resource_id", "scenario_id"} <= names
    assert ("/api/v1/projects", "page", 422) in probed
    assert ("/api/v1/projects", "pm", 422) in probed


@pytest.mark.django_db
def test_an_id_in_the_address_no_database_holds_is_not_found(demo: Any) -> None:
    # SQLite's driver cannot bind it (it was a 422 naming nothing); PostgreSQL finds no row
    code = Project.objects.order_by("code").first().code
    probed = []
    for path, parameters in _get_operations(demo):
        for parameter in parameters:
            if parameter["in"] != "path" or not _is_integer(parameter):
                continue
            url = _fill(path.replace("{" + parameter["name"] + "}", str(HUGE)), code)
            response = demo.get(url)
            # with one id in the address the answer names it (with two, the other may be
            # missing first: no review 1 of P0001 before its deliverable 10**25)
            alone = sum(p["in"] == "path" and _is_integer(p) for p in parameters) == 1
            probed.append((path, response.status_code, response.json()["detail"], alone))
    assert len(probed) >= 10
    assert [p for p in probed if p[1] != 404] == []
    assert [p for p in probed if p[3] and str(HUGE) not in p[2]] == []


@pytest.mark.django_db
def test_a_page_far_beyond_the_last_is_refused_and_one_just_beyond_is_empty(demo: Any) -> None:
    refused = demo.get("/api/v1/projects", {"page": 10**7})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "page"
    empty = demo.get("/api/v1/projects", {"page": 1000})
    assert (empty.status_code, empty.json()["items"]) == (200, [])


def _patch(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_null_for_a_field_that_cannot_be_empty_is_a_422_naming_it(demo: Any) -> None:
    resource = Resource.objects.order_by("pk").first()
    refused = _patch(
        demo, f"/api/v1/resources/{resource.pk}", {"version": resource.version, "skills": None}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "skills", "message": "a value is required; null is not allowed"}
    ]
    resource.refresh_from_db()
    assert resource.skills is not None
    dep = Dependency.objects.order_by("pk").first()
    refused = _patch(
        demo, f"/api/v1/dependencies/{dep.pk}", {"version": dep.version, "criticality": None}
    )
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "criticality")
    assert Dependency.objects.get(pk=dep.pk).version == dep.version


@pytest.mark.django_db
def test_saving_a_null_the_table_cannot_hold_raises_a_field_error() -> None:
    load_demo(projects=1, as_of=dt.date(2026, 11, 20))
    project = Project.objects.get()
    project.name = None  # type: ignore[assignment]
    with pytest.raises(FieldError) as caught:
        project.save()
    assert caught.value.field == "name"
    project.refresh_from_db()
    project.org_unit_id = None  # type: ignore[assignment]
    with pytest.raises(FieldError, match="org_unit_id"):
        project.save()


@pytest.mark.django_db
def test_the_null_check_reads_no_deferred_field(django_assert_num_queries: Any) -> None:
    load_demo(projects=1, as_of=dt.date(2026, 11, 20))
    project = Project.objects.only("pk", "name").get()
    project.name = "Renamed"
    with django_assert_num_queries(1):  # the UPDATE alone, no query per deferred field
        project.save(update_fields=["name"])
    assert Project.objects.get().name == "Renamed"


@pytest.mark.django_db
def test_text_with_a_nul_character_is_refused_naming_the_field(demo: Any) -> None:
    # PostgreSQL can neither store nor compare such text: these were 500s there
    found = demo.get("/api/v1/projects", {"q": "a\x00b"})
    assert (found.status_code, found.json()["errors"][0]["field"]) == (422, "q")
    resource = Resource.objects.order_by("pk").first()
    body = {"version": resource.version, "skills": "Java\x00Kafka"}
    refused = _patch(demo, f"/api/v1/resources/{resource.pk}", body)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "skills: text must not contain NUL (0x00) characters"
    nested = demo.post(
        "/api/v1/impact",
        json.dumps({"changes": [{"project": "P0001", "note": "x\x00"}]}),
        content_type="application/json",
    )
    assert nested.json()["errors"][0]["field"] == "changes.0.note"
    assert Resource.objects.get(pk=resource.pk).version == resource.version
    page = demo.get("/resources/", {"q": "\x00"})
    assert page.status_code == 400 and b"q: text must not contain NUL" in page.content
    # the test client posts multipart, a browser urlencoded: both are looked at (a 500 on
    # PostgreSQL before, from a view that reads request.POST itself)
    multipart = demo.post("/resources/scenarios/", {"name": "a\x00b"})
    urlencoded = demo.post(
        "/resources/scenarios/", "name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    for posted in (multipart, urlencoded):
        assert posted.status_code == 400
        assert b'data-testid="reason">name: text must not contain NUL' in posted.content
    # a JSON string that merely spells the escape out is ordinary text
    spelled = {"version": resource.version, "skills": "\\u0000 in a regex"}
    assert _patch(demo, f"/api/v1/resources/{resource.pk}", spelled).status_code == 200


@pytest.mark.django_db
def test_a_multipart_body_without_a_boundary_is_a_json_400(demo: Any) -> None:
    response = demo.post("/api/v1/capacity/import", b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("body: the form data cannot be read")


@pytest.mark.django_db
def test_deeply_nested_json_with_a_nul_is_a_4xx(demo: Any) -> None:
    # too deep for the JSON parser (was a RecursionError, a 500), and just deep enough for it
    too_deep = "[" * 100_000 + '"\\u0000"' + "]" * 100_000
    deep = '{"name": ' + "[" * 900 + '"a\\u0000"' + "]" * 900 + "}"
    refused = demo.post("/api/v1/projects", too_deep, content_type="application/json")
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        [{"field": "body", "message": "the request body is not valid JSON"}],
    )
    response = demo.post("/api/v1/projects", deep, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name" + ".0" * 900


@pytest.mark.django_db
@pytest.mark.parametrize("version", [0, -3, True, "2", 10**25])
def test_a_version_that_is_no_row_version_is_a_422_naming_it(demo: Any, version: Any) -> None:
    # -3 used to be a 409 "your version -3, current version 1", true was taken as 1
    resource = Resource.objects.order_by("pk").first()
    refused = _patch(demo, f"/api/v1/resources/{resource.pk}", {"version": version, "fte": "1"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["version"]
    assert Resource.objects.get(pk=resource.pk).version == resource.version

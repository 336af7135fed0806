"""The role catalogue's endpoints: the list with each role's resources and FTE, add, change
(a rename reaches the resources), merge, delete, who may do what, and bad requests as 4xx."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.resources.models import Resource, Role
from pmo.resources.tests.factories import bearer, pool

JSON = "application/json"


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type=JSON, headers=bearer(user))


def _roles(org: dict[str, Any]) -> dict[str, Role]:
    """Java developer (two pools, 2 + 3.5 FTE), Tester (one person, 0.5 FTE), Architect
    (none)."""
    java = Role.objects.create(name="Java developer", name_zh="Java开发工程师")
    tester = Role.objects.create(name="Tester", name_zh="测试工程师", description="Manual and UI")
    architect = Role.objects.create(name="architect")
    zh = java.name_zh
    pool(org, code="java-sh", role=java.name, role_zh=zh, fte=Decimal("2"))
    pool(org, code="java-bj", role=java.name, role_zh=zh, fte=Decimal("3.5"))
    pool(org, code="qa-li", kind="person", role=tester.name, role_zh=tester.name_zh, fte="0.5")
    return {"java": java, "tester": tester, "architect": architect}


def test_the_list_counts_each_roles_resources_and_fte_in_one_query(
    client: Any, users: Any, org: Any
) -> None:
    roles = _roles(org)
    headers = bearer(users["exec"])
    client.get("/api/v1/roles", headers=headers)  # the token's first use is written down
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/roles", headers=headers)
    assert answer.status_code == 200
    assert answer.json()["count"] == 3
    items = answer.json()["items"]
    # by name whatever its case
    assert [(r["name"], r["resources"], r["fte"]) for r in items] == [
        ("architect", 0, "0.00"),
        ("Java developer", 2, "5.50"),
        ("Tester", 1, "0.50"),
    ]
    assert items[2] == {
        "id": roles["tester"].pk,
        "name": "Tester",
        "name_zh": "测试工程师",
        "label": "Tester",
        "description": "Manual and UI",
        "resources": 1,
        "fte": "0.50",
        "version": 1,
    }
    # as many queries with three more roles, each with a resource: none per role
    for n in range(3):
        Role.objects.create(name=f"Role {n}")
        pool(org, code=f"pool-{n}", role=f"Role {n}")
    with CaptureQueriesContext(connection) as more:
        again = client.get("/api/v1/roles", headers=headers)
    assert again.json()["count"] == 6
    assert [r["resources"] for r in again.json()["items"]] == [0, 2, 1, 1, 1, 1]
    assert len(more.captured_queries) == len(queries.captured_queries)


def test_the_label_is_in_the_readers_language(client: Any, users: Any, org: Any) -> None:
    _roles(org)
    answer = client.get(
        "/api/v1/roles", headers={**bearer(users["exec"]), "Accept-Language": "zh-hans"}
    )
    assert [r["label"] for r in answer.json()["items"]] == [
        "architect",
        "Java开发工程师",
        "测试工程师",
    ]


@pytest.mark.parametrize(
    "q, names",
    [
        ("JAVA", ["Java developer"]),
        ("测试", ["Tester"]),
        ("e", ["architect", "Java developer", "Tester"]),
        ("nothing", []),
    ],
)
def test_q_finds_part_of_the_name_or_chinese_name(
    client: Any, users: Any, org: Any, q: str, names: list[str]
) -> None:
    _roles(org)
    answer = client.get("/api/v1/roles", {"q": q}, headers=bearer(users["pm"]))
    assert answer.status_code == 200
    assert [r["name"] for r in answer.json()["items"]] == names


def test_an_unknown_filter_is_refused(client: Any, users: Any, org: Any) -> None:
    answer = client.get("/api/v1/roles", {"name": "Tester"}, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["name"]


def test_create_read_and_a_name_differing_by_case_only(client: Any, users: Any, org: Any) -> None:
    body = {"name": " Business analyst ", "name_zh": "业务分析师", "description": "Requirements"}
    made = _send(client, "post", "/api/v1/roles", body, users["member"])
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("name", "name_zh", "resources", "version")} == {
        "name": "Business analyst",
        "name_zh": "业务分析师",
        "resources": 0,
        "version": 1,
    }
    pk = made.json()["id"]
    read = client.get(f"/api/v1/roles/{pk}", headers=bearer(users["exec"]))
    assert (read.status_code, read.json()) == (200, made.json())
    twice = _send(client, "post", "/api/v1/roles", {"name": "BUSINESS ANALYST"}, users["admin"])
    assert twice.status_code == 422
    assert [e["field"] for e in twice.json()["errors"]] == ["name"]
    assert list(Role.objects.values_list("name", flat=True)) == ["Business analyst"]


def test_an_unknown_role_is_not_found(client: Any, users: Any, org: Any) -> None:
    headers = bearer(users["admin"])
    assert client.get("/api/v1/roles/999999", headers=headers).status_code == 404
    for method, path, body in [("patch", "", {"version": 1}), ("post", "/merge", {"into": 1})]:
        answer = _send(client, method, "/api/v1/roles/999999" + path, body, users["admin"])
        assert (answer.status_code, answer.json()["errors"]) == (404, []), method
    assert client.delete("/api/v1/roles/999999", headers=headers).status_code == 404


def test_a_rename_moves_the_resources_and_their_versions(client: Any, users: Any, org: Any) -> None:
    roles = _roles(org)
    java = roles["java"]
    before = dict(Resource.objects.filter(role=java.name).values_list("code", "version"))
    answer = _send(
        client,
        "patch",
        f"/api/v1/roles/{java.pk}",
        {"version": 1, "name": "Java engineer", "name_zh": "Java工程师"},
        users["admin"],
    )
    assert answer.status_code == 200
    assert (answer.json()["name"], answer.json()["version"], answer.json()["resources"]) == (
        "Java engineer",
        2,
        2,
    )
    stored = {r.code: (r.role, r.role_zh, r.version) for r in Resource.objects.filter(kind="pool")}
    assert stored == {
        code: ("Java engineer", "Java工程师", version + 1) for code, version in before.items()
    }
    assert Resource.objects.get(code="qa-li").role == "Tester"  # another role's: untouched


def test_a_patch_changes_only_the_fields_sent(client: Any, users: Any, org: Any) -> None:
    tester = _roles(org)["tester"]
    url = f"/api/v1/roles/{tester.pk}"
    answer = _send(client, "patch", url, {"version": 1, "description": "UI"}, users["admin"])
    assert answer.status_code == 200
    tester.refresh_from_db()
    assert (tester.name, tester.name_zh, tester.description) == ("Tester", "测试工程师", "UI")


def test_a_stale_version_is_a_409_and_changes_nothing(client: Any, users: Any, org: Any) -> None:
    tester = _roles(org)["tester"]
    url = f"/api/v1/roles/{tester.pk}"
    first = _send(client, "patch", url, {"version": 1, "description": "x"}, users["admin"])
    assert first.status_code == 200
    stale = _send(client, "patch", url, {"version": 1, "name": "QA"}, users["admin"])
    assert (stale.status_code, stale.json()["current_version"]) == (409, 2)
    assert Role.objects.get(pk=tester.pk).name == "Tester"
    assert Resource.objects.get(code="qa-li").role == "Tester"


def test_a_role_with_resources_is_not_deleted_an_unused_one_is(
    client: Any, users: Any, org: Any
) -> None:
    roles = _roles(org)
    used = client.delete(f"/api/v1/roles/{roles['java'].pk}", headers=bearer(users["admin"]))
    assert used.status_code == 409
    assert "2 resources have role" in used.json()["detail"]
    assert Role.objects.filter(pk=roles["java"].pk).exists()
    unused = client.delete(f"/api/v1/roles/{roles['architect'].pk}", headers=bearer(users["admin"]))
    assert unused.status_code == 204
    assert not Role.objects.filter(pk=roles["architect"].pk).exists()


def test_a_delete_with_a_body_is_refused(client: Any, users: Any, org: Any) -> None:
    architect = _roles(org)["architect"]
    answer = _send(client, "delete", f"/api/v1/roles/{architect.pk}", {"x": 1}, users["admin"])
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["body"]
    assert Role.objects.filter(pk=architect.pk).exists()


def test_a_merge_moves_the_resources_and_deletes_the_role(
    client: Any, users: Any, org: Any
) -> None:
    roles = _roles(org)
    tester, java = roles["tester"], roles["java"]
    answer = _send(
        client,
        "post",
        f"/api/v1/roles/{tester.pk}/merge",
        {"into": java.pk, "version": 1},
        users["admin"],
    )
    assert answer.status_code == 200
    assert (answer.json()["id"], answer.json()["resources"], answer.json()["fte"]) == (
        java.pk,
        3,
        "6.00",
    )
    assert not Role.objects.filter(pk=tester.pk).exists()
    moved = Resource.objects.get(code="qa-li")
    assert (moved.role, moved.role_zh, moved.version) == ("Java developer", "Java开发工程师", 2)


@pytest.mark.parametrize(
    "into, version, status, field",
    [
        ("self", None, 422, "into"),
        (999999, None, 422, "into"),
        ("java", 7, 409, None),
    ],
)
def test_a_refused_merge_changes_nothing(
    client: Any, users: Any, org: Any, into: Any, version: Any, status: int, field: Any
) -> None:
    roles = _roles(org)
    tester = roles["tester"]
    target = {"self": tester.pk, "java": roles["java"].pk}.get(into, into)
    answer = _send(
        client,
        "post",
        f"/api/v1/roles/{tester.pk}/merge",
        {"into": target, "version": version},
        users["admin"],
    )
    assert answer.status_code == status
    if field:
        assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert Role.objects.filter(pk=tester.pk).exists()
    assert Resource.objects.get(code="qa-li").role == "Tester"


def test_who_may_read_and_who_may_change_the_catalogue(client: Any, users: Any, org: Any) -> None:
    roles = _roles(org)
    tester, architect = roles["tester"], roles["architect"]
    viewer = users["viewer"]
    assert client.get("/api/v1/roles", headers=bearer(viewer)).status_code == 403
    assert client.get(f"/api/v1/roles/{tester.pk}", headers=bearer(viewer)).status_code == 403
    for reader in (users["pm"], users["exec"]):  # they may look, not change
        writes = [
            _send(client, "post", "/api/v1/roles", {"name": "Scrum master"}, reader),
            _send(
                client, "patch", f"/api/v1/roles/{tester.pk}", {"version": 1, "name": "QA"}, reader
            ),
            _send(
                client, "post", f"/api/v1/roles/{tester.pk}/merge", {"into": architect.pk}, reader
            ),
            client.delete(f"/api/v1/roles/{architect.pk}", headers=bearer(reader)),
        ]
        assert [w.status_code for w in writes] == [403, 403, 403, 403]
        assert client.get("/api/v1/roles", headers=bearer(reader)).status_code == 200
    assert sorted(Role.objects.values_list("name", flat=True)) == [
        "Java developer",
        "Tester",
        "architect",
    ]
    assert Role.objects.get(pk=tester.pk).version == 1
    assert client.get("/api/v1/roles").status_code == 401


@pytest.mark.parametrize(
    "method, path, body, field",
    [
        ("post", "", {"name": "QA", "colour": "red"}, "colour"),
        ("post", "", {"name": ""}, "name"),
        ("post", "", {"name": "x" * 101}, "name"),
        ("post", "", {"name": "   "}, "name"),
        ("post", "", {"name": ["QA"]}, "name"),
        ("post", "", {"name_zh": "质量"}, "name"),
        ("patch", "/{pk}", {"name": "QA"}, "version"),
        ("patch", "/{pk}", {"version": True, "name": "QA"}, "version"),
        ("patch", "/{pk}", {"version": "1", "name": "QA"}, "version"),
        ("patch", "/{pk}", {"version": 1, "name": None}, "name"),
        ("patch", "/{pk}", {"version": 1, "name_zh": None}, "name_zh"),
        ("patch", "/{pk}", {"version": 1, "description": None}, "description"),
        ("patch", "/{pk}", {"version": 1, "resources": 3}, "resources"),
        ("post", "/{pk}/merge", {}, "into"),
        ("post", "/{pk}/merge", {"into": "Java developer"}, "into"),
        ("post", "/{pk}/merge", {"into": 10**25}, "into"),
        ("post", "/{pk}/merge", {"into": 1, "version": True}, "version"),
    ],
)
def test_bad_bodies_are_a_4xx_naming_the_field(
    client: Any, users: Any, org: Any, method: str, path: str, body: Any, field: str
) -> None:
    tester = _roles(org)["tester"]
    url = "/api/v1/roles" + path.format(pk=tester.pk)
    client.raise_request_exception = False  # a 500 fails the assert below, not the client
    answer = _send(client, method, url, body, users["admin"])
    assert 400 <= answer.status_code < 500, answer.content
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    tester.refresh_from_db()
    assert (tester.name, tester.version, Role.objects.count()) == ("Tester", 1, 3)


def test_not_json_is_a_4xx(client: Any, users: Any, org: Any) -> None:
    client.raise_request_exception = False
    answer = client.post(
        "/api/v1/roles", "{name:", content_type=JSON, headers=bearer(users["admin"])
    )
    assert 400 <= answer.status_code < 500
    assert answer.json()["detail"]


def test_the_openapi_document_lists_the_role_operations(client: Any, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        (method, path): op["operationId"]
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/roles")
        for method, op in ops.items()
    }
    assert operations == {
        ("get", "/api/v1/roles"): "pmo_resources_api_list_roles",
        ("post", "/api/v1/roles"): "pmo_resources_api_create_role",
        ("get", "/api/v1/roles/{pk}"): "pmo_resources_api_get_role",
        ("patch", "/api/v1/roles/{pk}"): "pmo_resources_api_patch_role",
        ("delete", "/api/v1/roles/{pk}"): "pmo_resources_api_delete_role",
        ("post", "/api/v1/roles/{pk}/merge"): "pmo_resources_api_merge_role",
    }
    out = schema["components"]["schemas"]["RoleOut"]["properties"]
    assert {"label", "resources", "fte", "version"} <= set(out)

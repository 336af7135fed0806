"""Org units through the API: ids shown, one unit read and changed by code (renamed, moved,
never under itself), names of blanks and codes that differ by case only refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pmo.accounts.models import OrgUnit
from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(body), content_type="application/json", headers=_auth(user))


def test_org_units_show_their_id(client: Any, users: Any, org: Any) -> None:
    listed = client.get("/api/v1/org-units", headers=_auth(users["viewer"])).json()["items"]
    assert {u["code"]: u["id"] for u in listed}["sh"] == org["sh"].pk


def test_one_org_unit_by_code_or_id(client: Any, users: Any, org: Any) -> None:
    by_code = client.get("/api/v1/org-units/sh", headers=_auth(users["viewer"]))
    assert by_code.status_code == 200
    assert (by_code.json()["id"], by_code.json()["parent"]) == (org["sh"].pk, "cn")
    by_id = client.get(f"/api/v1/org-units/{org['sh'].pk}", headers=_auth(users["viewer"]))
    assert by_id.json() == by_code.json()
    assert (
        client.get("/api/v1/org-units/acme-hr", headers=_auth(users["viewer"])).status_code == 404
    )


def test_org_unit_renamed_and_moved_audited(client: Any, users: Any, org: Any) -> None:
    body = {"version": 1, "name": "Shanghai Engineering", "parent": "uk"}
    answer = _send(client, "patch", "/api/v1/org-units/sh", body, users["admin"])
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["name"], answer.json()["parent"], answer.json()["version"]) == (
        "Shanghai Engineering",
        "uk",
        2,
    )
    org["sh"].refresh_from_db()
    assert org["sh"].path == f"{org['uk'].path}{org['sh'].pk}/"
    event = AuditEvent.objects.get(scope="org-unit:sh")
    assert event.changes == {
        "name": ["Shanghai R&D", "Shanghai Engineering"],
        "parent": ["cn", "uk"],
    }
    assert event.actor_id == users["admin"].pk
    top = _send(
        client, "patch", "/api/v1/org-units/sh", {"version": 2, "parent": None}, users["admin"]
    )
    assert (top.status_code, top.json()["parent"]) == (200, None)


@pytest.mark.parametrize("parent", ["cn", "sh", "grp"])
def test_org_unit_never_moves_under_itself(client: Any, users: Any, org: Any, parent: str) -> None:
    answer = _send(
        client, "patch", "/api/v1/org-units/cn", {"version": 1, "parent": parent}, users["admin"]
    )
    if parent == "grp":  # where it is: nothing changes
        assert answer.status_code == 200
        return
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "parent"
    org["cn"].refresh_from_db()
    assert (org["cn"].parent_id, org["cn"].version) == (org["group"].pk, 1)


def test_org_unit_patch_only_by_a_pmo_admin(client: Any, users: Any, org: Any) -> None:
    answer = _send(
        client, "patch", "/api/v1/org-units/sh", {"version": 1, "name": "X"}, users["member"]
    )
    assert answer.status_code == 403
    stale = _send(
        client, "patch", "/api/v1/org-units/sh", {"version": 3, "name": "X"}, users["admin"]
    )
    assert (stale.status_code, stale.json()["current_version"]) == (409, 1)
    code = _send(
        client, "patch", "/api/v1/org-units/sh", {"version": 1, "code": "x"}, users["admin"]
    )
    assert (code.status_code, code.json()["errors"][0]["field"]) == (422, "code")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"code": "hr", "name": "   "}, "name"),
        ({"code": "SH", "name": "Shanghai"}, "code"),
        ({"code": "4711", "name": "Digits"}, "code"),
        ({"code": "hr", "name": "HR", "parent": "nope"}, "parent"),
    ],
)
def test_bad_org_units_are_refused(
    client: Any, users: Any, org: Any, body: Any, field: str
) -> None:
    answer = _send(client, "post", "/api/v1/org-units", {"kind": "team", **body}, users["admin"])
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert OrgUnit.objects.count() == 5


def test_org_unit_rename_to_blanks_is_refused(client: Any, users: Any, org: Any) -> None:
    answer = _send(
        client, "patch", "/api/v1/org-units/sh", {"version": 1, "name": "  "}, users["admin"]
    )
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "name")


def test_org_unit_created_through_the_api_is_audited(client: Any, users: Any, org: Any) -> None:
    body = {"code": "acme-hr", "name": " HR ", "kind": "department", "parent": "cn"}
    answer = _send(client, "post", "/api/v1/org-units", body, users["admin"])
    assert answer.status_code == 201
    assert (answer.json()["name"], answer.json()["id"]) == (
        "HR",
        OrgUnit.objects.get(code="acme-hr").pk,
    )
    event = AuditEvent.objects.get(scope="org-unit:acme-hr")
    assert (event.action, event.changes["parent"]) == ("create", [None, "cn"])

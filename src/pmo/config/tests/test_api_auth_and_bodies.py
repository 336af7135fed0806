"""What the API answers a client that is not signed in, or whose body is not JSON."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.services import create_token

SIGN_IN = "authentication required: sign in or send 'Authorization: Bearer <token>'"


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer expired-or-wrong"}])
def test_a_write_without_a_valid_token_or_session_is_told_to_sign_in(headers: Any) -> None:
    # it used to be "CSRF check Failed" (403): the session check ran CSRF before anything else
    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        "/api/v1/org-units", "{}", content_type="application/json", headers=headers
    )
    assert (answer.status_code, answer.json()) == (401, {"detail": SIGN_IN, "errors": []})


@pytest.mark.django_db
def test_a_signed_in_session_still_needs_the_csrf_token(users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    body = '{"code": "NEW", "name": "New unit", "kind": "team"}'
    refused = client.post("/api/v1/org-units", body, content_type="application/json")
    assert (refused.status_code, refused.json()["detail"]) == (403, "CSRF check Failed")
    client.get("/")  # the page sets the CSRF cookie, as in the browser
    token = client.cookies["csrftoken"].value
    made = client.post(
        "/api/v1/org-units", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert made.status_code == 201, made.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"code": "x"', "application/json"),  # cut off
        (b"\xff\xfe{}", "application/json"),  # not UTF-8
        ("code=x&name=y", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_that_is_not_json_is_a_422_naming_the_body(
    client: Any, users: Any, body: Any, content_type: str
) -> None:
    token = create_token(username=users["admin"].username)
    answer = client.post(
        "/api/v1/org-units",
        body,
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "body", "message": "the request body is not valid JSON"}
    ]


@pytest.mark.django_db
def test_a_multipart_form_sent_to_a_json_operation_is_a_422_naming_the_body(
    client: Any, users: Any
) -> None:
    # given a client that posts a form (the test client's default, multipart) where JSON belongs
    token = create_token(username=users["admin"].username)
    # when it creates an org unit that way
    answer = client.post(
        "/api/v1/org-units",
        {"code": "x", "name": "y"},
        headers={"Authorization": f"Bearer {token}"},
    )
    # then it is told the body is not JSON (it was a 500: the raw body was already read)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "body", "message": "the request body is not valid JSON"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "code": "is required",
                "kind": "must be one of 'group', 'region', 'department', 'plant', 'team'",
                "name": "may have at most 200 characters",
                "colour": "is not a field of this request (unknown or read-only)",
            },
        ),
        (
            "zh-hans",
            {
                "code": "为必填项",
                "kind": "须为以下之一：'group'，'region'，'department'，'plant'，'team'",
                "name": "最多 200 个字符",
                "colour": "不是此请求的字段（未知或只读）",
            },
        ),
    ],
)
def test_validation_errors_read_in_the_request_language(
    client: Any, users: Any, language: str, expected: dict[str, str]
) -> None:
    token = create_token(username=users["admin"].username)
    body = '{"name": "%s", "kind": "planet", "colour": "red"}' % ("n" * 201)
    answer = client.post(
        "/api/v1/org-units",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
    )
    assert answer.status_code == 422
    assert {e["field"]: e["message"] for e in answer.json()["errors"]} == expected
    unsigned = client.get("/api/v1/projects", headers={"Accept-Language": language})
    assert unsigned.status_code == 401
    assert ("Bearer" in unsigned.json()["detail"]) and (
        ("需要登录" in unsigned.json()["detail"]) == (language == "zh-hans")
    )


def _delete_paths() -> list[str]:
    """Every delete operation of the API, its path parameters filled with ids no row has (or
    USD, a day), with ``?version=1`` where it reads one (any other query parameter is a 422)."""
    from pmo.config.api import api

    fills = {"currency": "USD", "valid_from": "2026-01-01", "code": "P1"}
    paths = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "delete" in operations:
            filled = re.sub(r"\{(\w+)\}", lambda m: fills.get(m[1], "999999"), path)
            query = {p["name"] for p in operations["delete"].get("parameters", [])} - {
                m[1] for m in re.finditer(r"\{(\w+)\}", path)
            }
            paths.append(f"{filled}?version=1" if "version" in query else filled)
    return paths


@pytest.mark.django_db
def test_every_delete_refuses_a_body_naming_it(users: Any) -> None:
    # given the PMO admin's token and every delete of the API (a version sent in a body would
    # be ignored, and the client would believe it was checked)
    token = create_token(username=users["admin"].username)
    paths = _delete_paths()
    assert len(paths) >= 7
    for path in paths:
        # when a delete comes with a body
        answer = Client().delete(
            path,
            '{"version": 9}',
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        # then it is a 422 naming body, whatever the row (none exists here)
        assert answer.status_code == 422, (path, answer.content)
        assert [e["field"] for e in answer.json()["errors"]] == ["body"], path
        # and without a body (or with JSON that says nothing, as some clients always send)
        # the same request goes on to look for the row
        for empty in ("", "null", "{}"):
            bare = Client().delete(
                path,
                empty,
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert bare.status_code in (404, 403), (path, empty, bare.content)

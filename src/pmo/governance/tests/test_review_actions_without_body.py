"""Submit, withdraw and close take an optional body (only a version, which is optional): sent
without one, an unknown review is a 404 and a caller without the right a 403, not "body: is
required" (422) before either; a body that is sent is still validated (422) and a stale
version is still a 409."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pmo.accounts.services import create_token
from pmo.governance import services
from pmo.governance.models import GateReview
from pmo.governance.tests.conftest import tick_all

ACTIONS = ["submit", "withdraw"]


def _post(client: Any, user: str, url: str, body: Any = None) -> Any:
    """A POST as ``user``: with no body and no content type at all when ``body`` is None
    (as ``curl -X POST`` sends it)."""
    headers = {"Authorization": f"Bearer {create_token(username=user)}"}
    if body is None:
        return client.generic("POST", url, headers=headers)
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def review(users: Any, governed: Any) -> GateReview:
    project = governed(code="NOB1")
    return tick_all(users, services.request_review(actor=users["pm"], project=project))


def _url(review: GateReview, action: str) -> str:
    return f"/api/v1/projects/NOB1/gate-reviews/{review.pk}/{action}"


@pytest.mark.parametrize("action", ACTIONS)
def test_an_unknown_review_is_a_404_without_a_body(
    client: Any, review: GateReview, action: str
) -> None:
    answer = _post(client, "pm", f"/api/v1/projects/NOB1/gate-reviews/{review.pk + 99}/{action}")
    assert answer.status_code == 404, answer.json()
    assert answer.json()["detail"] == f"project NOB1 has no gate review {review.pk + 99}"


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("body", [None, {}, {"version": 2}])
def test_someone_who_may_not_act_gets_a_403_with_or_without_a_body(
    client: Any, review: GateReview, action: str, body: Any
) -> None:
    # the executive reads every project but does not prepare its reviews
    answer = _post(client, "exec", _url(review, action), body)
    assert answer.status_code == 403, answer.json()
    review.refresh_from_db()
    assert (review.state, review.submitted_at) == ("requested", None)


def test_the_pm_submits_without_a_body(client: Any, review: GateReview) -> None:
    answer = _post(client, "pm", _url(review, "submit"))
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["stage"], answer.json()["submitted_by"]) == ("ready", "pm")


def test_the_pm_withdraws_without_a_body(client: Any, review: GateReview) -> None:
    answer = _post(client, "pm", _url(review, "withdraw"))
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "withdrawn"


@pytest.mark.parametrize("action", ACTIONS)
def test_a_body_sent_is_still_checked(client: Any, review: GateReview, action: str) -> None:
    bad = _post(client, "pm", _url(review, action), {"version": "two"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "version", "message": "must be a whole number"}]
    unknown = _post(client, "pm", _url(review, action), {"versio": 2})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["versio"]
    stale = _post(client, "pm", _url(review, action), {"version": review.version - 1})
    assert stale.status_code == 409
    review.refresh_from_db()
    assert (review.state, review.submitted_at) == ("requested", None)


def test_closing_an_unknown_condition_without_a_body_is_a_404(
    client: Any, review: GateReview
) -> None:
    answer = _post(client, "pm", "/api/v1/projects/NOB1/gate-conditions/987654/close")
    assert answer.status_code == 404, answer.json()
    assert answer.json()["detail"] == "project NOB1 has no condition 987654"


def test_the_openapi_document_says_the_body_is_optional(client: Any, users: Any) -> None:
    client.force_login(users["admin"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/projects/{code}/gate-reviews/{review_id}/submit",
        "/api/v1/projects/{code}/gate-reviews/{review_id}/withdraw",
        "/api/v1/projects/{code}/gate-conditions/{condition_id}/close",
    ):
        assert paths[path]["post"]["requestBody"]["required"] is False
    decide = paths["/api/v1/projects/{code}/gate-reviews/{review_id}/decide"]["post"]
    assert decide["requestBody"]["required"] is True  # its outcome is required

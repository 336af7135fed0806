"""An ``external_ref`` with a space at its start or end is a 422 said in words, on PATCH and
POST alike (not as the pattern it fails), and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pmo.resources.models import Allocation
from pmo.resources.tests.factories import MON, allocate, bearer, pool

WEEK = MON + dt.timedelta(days=4)


def _call(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


@pytest.mark.parametrize("ref", [" x", "x ", "\tx"])
def test_a_ref_with_spaces_at_its_ends_is_refused_in_words(
    client: Any, users: Any, org: Any, make_project: Any, ref: str
) -> None:
    # given an allocation
    project = make_project()
    resource = pool(org)
    row = allocate(resource, project, MON, WEEK, "1")
    admin = users["admin"]
    # when a key with a space at an end is patched onto it, and posted with a new one
    patched = _call(
        client,
        "patch",
        f"/api/v1/allocations/{row.pk}",
        {"version": row.version, "external_ref": ref},
        admin,
    )
    posted = _call(
        client,
        "post",
        "/api/v1/allocations",
        {
            "resource_id": resource.pk,
            "project": project.code,
            "first": str(MON),
            "last": str(WEEK),
            "fte": "1",
            "external_ref": ref,
        },
        admin,
    )
    # then both are 422 at the field, in words, and nothing changed
    for answer in (patched, posted):
        assert answer.status_code == 422, answer.content
        assert answer.json()["errors"] == [
            {"field": "external_ref", "message": "no spaces at the start or end"}
        ]
    assert Allocation.objects.count() == 1
    row.refresh_from_db()
    assert row.external_ref == ""

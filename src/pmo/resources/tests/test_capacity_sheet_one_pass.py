"""A capacity sheet's problems are listed in one pass: the model's rules (hours per day,
codes, lengths) are checked per cell beside the cells' own checks, in the same words."""

from __future__ import annotations

from typing import Any

from pmo.resources.models import Resource
from pmo.resources.tests.factories import bearer
from pmo.resources.tests.test_api import _sheet

HEADER = ["code", "name", "kind", "role", "org_unit", "fte", "hours_per_day", "calendar"]


def _refused(client: Any, users: Any, rows: list[list[Any]]) -> dict[str, str]:
    sheet = _sheet(rows, None, HEADER)
    answer = client.post("/api/v1/capacity/import", {"file": sheet}, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    return {e["field"]: e["message"] for e in answer.json()["errors"]}


def test_hours_per_day_is_named_with_the_rows_other_problems(
    client: Any, users: Any, org: Any
) -> None:
    errors = _refused(
        client,
        users,
        [
            ["ok", "OK", "pool", "QA", "sh", 1, 8, "CN"],
            # a wrong kind, org unit and FTE in the same row as too many hours a day
            ["bad", "Bad", "robot", "QA", "nowhere", "lots", 30, "CN"],
            ["has space", "X" * 201, "pool", "QA", "sh", 1, 0.25, ""],
        ],
    )
    assert sorted(errors) == [
        "Resources!A4",
        "Resources!B4",
        "Resources!C3",
        "Resources!E3",
        "Resources!F3",
        "Resources!G3",
        "Resources!G4",
    ]
    assert errors["Resources!G3"] == "a number from 0.5 to 24"
    assert errors["Resources!G4"] == "a number from 0.5 to 24"
    assert errors["Resources!A4"] == "letters, digits, '-' and '_' only"
    assert errors["Resources!B4"] == "at most 200 characters"
    assert Resource.objects.count() == 0


def test_an_unknown_calendar_names_every_value_the_sheet_takes(
    client: Any, users: Any, org: Any
) -> None:
    errors = _refused(client, users, [["qa", "QA", "pool", "QA", "sh", 1, 8, "Mars"]])
    assert errors == {
        "Resources!H2": "unknown calendar “Mars”: enter “CN” (mainland China), or “Mon-Fri” or "
        "nothing (Monday to Friday)"
    }

"""Dates typed in are bounded (``pmo.core.dates``): API, forms and saves refuse a mistyped
year with the range named, and keep nothing of the refused input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pmo.accounts.services import create_token
from pmo.core.dates import FIRST_DATE, LAST_DATE, date_out_of_range
from pmo.core.errors import FieldError
from pmo.core.forms import DateField
from pmo.portfolio.forms import raid_form_class
from pmo.portfolio.models import Milestone, Project


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        (FIRST_DATE, False),
        (LAST_DATE, False),
        (dt.date(2026, 12, 6), False),
        (dt.datetime(2149, 12, 31, 23, 59), False),
        (FIRST_DATE - dt.timedelta(days=1), True),
        (LAST_DATE + dt.timedelta(days=1), True),
        (dt.date(202, 5, 1), True),
        (dt.datetime(9999, 12, 31, 8, 0), True),
        (None, False),
    ],
)
def test_the_range_is_microsoft_projects(value: Any, refused: bool) -> None:
    assert (date_out_of_range(value) is not None) is refused


def test_the_message_names_the_range_and_the_value() -> None:
    message = date_out_of_range(dt.date(202, 5, 1))
    assert message is not None
    assert "1984-01-01" in message and "2149-12-31" in message and "0202-05-01" in message


def _post(client: Any, user: Any, url: str, body: dict[str, Any]) -> Any:
    token = create_token(username=user.username)
    return client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/projects/D1/milestones",
            {"name": "Go-live", "forecast_date": "0202-05-01"},
            "forecast_date",
        ),
        ("/api/v1/projects/D1/actions", {"title": "Call", "due_date": "9999-12-31"}, "due_date"),
        (
            "/api/v1/steering-meetings",
            {"title": "SteerCo", "date": "1900-01-05"},
            "date",
        ),
    ],
)
def test_the_api_refuses_a_date_outside_the_range_naming_the_field(
    client: Any, users: Any, make_project: Any, url: str, body: dict[str, Any], field: str
) -> None:
    make_project(code="D1")
    response = _post(client, users["admin"], url, body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"].startswith("enter a date from 1984-01-01")  # no "Value error, "
    assert not Milestone.objects.exists()


def test_a_project_with_a_far_finish_is_refused_and_not_created(client: Any, users: Any) -> None:
    body = {"code": "D2", "name": "n", "portfolio": "STRAT", "pmo_type": "rnd", "org_unit": "sh"}
    body["planned_finish"] = "2150-01-01"
    response = _post(client, users["admin"], "/api/v1/projects", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "planned_finish"


def test_a_save_refuses_a_date_outside_the_range(make_project: Any) -> None:
    project = make_project(code="D3")
    with pytest.raises(FieldError) as refused:
        Milestone.objects.create(project=project, name="Typo", forecast_date=dt.date(100, 1, 1))
    assert refused.value.errors[0]["field"] == "forecast_date"
    assert not Milestone.objects.exists()
    # a save of other fields does not trip over an old out-of-range date it does not write
    kept = Milestone.objects.create(project=project, name="Ok", forecast_date=dt.date(2026, 5, 1))
    Milestone.objects.filter(pk=kept.pk).update(baseline_date=dt.date(100, 1, 1))
    kept.refresh_from_db()
    kept.name = "Renamed"
    kept.save(update_fields=["name"])
    with pytest.raises(FieldError):
        kept.save()


def test_a_form_date_outside_the_range_is_an_error_at_the_field() -> None:
    form = raid_form_class("actions")(data={"title": "Call", "due_date": "0202-05-01"})
    assert not form.is_valid()
    assert "1984-01-01" in form.errors["due_date"][0]
    html = str(form["due_date"])
    assert 'type="date"' in html and 'min="1984-01-01"' in html and 'max="2149-12-31"' in html
    assert DateField(required=False).clean("2026-12-06") == dt.date(2026, 12, 6)


def test_a_finish_before_the_start_is_refused_at_the_finish(
    client: Any, users: Any, make_project: Any
) -> None:
    make_project(code="D4", start_date=dt.date(2026, 1, 5))
    token = create_token(username=users["admin"].username)
    answer = client.patch(
        "/api/v1/projects/D4",
        json.dumps({"version": 1, "planned_finish": "2025-12-31"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["planned_finish"]
    # another field of a project stored that way (before the check) can still change
    Project.objects.filter(code="D4").update(planned_finish=dt.date(2025, 12, 31))
    answer = client.patch(
        "/api/v1/projects/D4",
        json.dumps({"version": 1, "name": "Renamed"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200

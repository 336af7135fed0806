"""The projects API names every problem of a project at once (each finish before the start,
a program of another portfolio, a code another project has), as the New and Edit project
pages do: one problem is a 422 at its field, several a 422 listing each; no combination of
dates is a 500."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import FieldError
from pmo.portfolio import services
from pmo.portfolio.models import Portfolio, Project

pytestmark = pytest.mark.django_db

START = dt.date(2027, 3, 1)
BEFORE = {"planned_finish": "2027-02-01", "baseline_finish": "2027-01-15"}
FINISHES = ("planned_finish", "baseline_finish", "forecast_finish")


def _send(user: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {create_token(username=user.username)}"}
    return getattr(Client(), method)(url, body, content_type="application/json", headers=headers)


def _new(**fields: Any) -> dict[str, Any]:
    body = {"code": "N1", "name": "New", "portfolio": "STRAT", "pmo_type": "rnd"}
    return {**body, "org_unit": "sh", "start_date": START.isoformat(), **fields}


def test_a_new_project_with_two_finishes_before_its_start_is_told_both(
    users: dict[str, Any], portfolio: Any
) -> None:
    response = _send(
        users["admin"],
        "post",
        "/api/v1/projects",
        _new(planned_finish="2027-02-01", forecast_finish="2027-01-01"),
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "planned_finish: 2027-02-01 is before the start 2027-03-01; "
        "forecast_finish: 2027-01-01 is before the start 2027-03-01",
        "errors": [
            {"field": "planned_finish", "message": "2027-02-01 is before the start 2027-03-01"},
            {"field": "forecast_finish", "message": "2027-01-01 is before the start 2027-03-01"},
        ],
    }
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_planned_finish_before_the_start_is_one_problem_not_three(
    users: dict[str, Any], portfolio: Any
) -> None:
    # the baseline and forecast finish copied from it are not told as problems of their own
    response = _send(users["admin"], "post", "/api/v1/projects", _new(planned_finish="2027-02-01"))

    assert response.status_code == 422
    assert response.json() == {
        "detail": "planned_finish: 2027-02-01 is before the start 2027-03-01",
        "errors": [
            {"field": "planned_finish", "message": "2027-02-01 is before the start 2027-03-01"}
        ],
    }


def test_a_change_with_two_finishes_before_the_start_is_told_both_and_saves_nothing(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project(start_date=START, planned_finish=dt.date(2027, 9, 30))

    response = _send(
        users["admin"], "patch", f"/api/v1/projects/{project.code}", {"version": 1, **BEFORE}
    )

    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        ("planned_finish", "2027-02-01 is before the start 2027-03-01"),
        ("baseline_finish", "2027-01-15 is before the start 2027-03-01"),
    ]
    project.refresh_from_db()
    assert (project.planned_finish, project.baseline_finish, project.version) == (
        dt.date(2027, 9, 30),
        dt.date(2026, 12, 31),
        1,
    )


def test_a_start_moved_past_every_finish_is_told_at_each_finish(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project()  # finishes 2026-12-31

    response = _send(
        users["pm"],
        "patch",
        f"/api/v1/projects/{project.code}",
        {"version": 1, "start_date": "2027-01-04"},
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == list(FINISHES)


def test_a_foreign_program_and_a_bad_finish_are_told_together(
    users: dict[str, Any], portfolio: Any
) -> None:
    Portfolio.objects.create(code="OPS", name="Operations")

    response = _send(
        users["admin"],
        "post",
        "/api/v1/projects",
        _new(portfolio="OPS", program="CORE", planned_finish="2027-02-01"),
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["program", "planned_finish"]


def test_a_taken_code_and_a_bad_finish_are_told_together(
    users: dict[str, Any], make_project: Any
) -> None:
    make_project(code="DUP")

    response = _send(
        users["admin"],
        "post",
        "/api/v1/projects",
        _new(code="dup", planned_finish="2027-02-01"),
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "code",
            "message": "project “DUP” exists already: codes may not differ by case only",
        },
        {"field": "planned_finish", "message": "2027-02-01 is before the start 2027-03-01"},
    ]


@pytest.mark.parametrize(
    "finishes", list(itertools.product((None, "2027-02-01", "2027-06-30"), repeat=3))
)
def test_any_combination_of_finishes_is_saved_or_told_at_each_bad_one(
    finishes: tuple[str | None, ...], users: dict[str, Any], portfolio: Any
) -> None:
    given = {name: value for name, value in zip(FINISHES, finishes, strict=True) if value}

    response = _send(users["admin"], "post", "/api/v1/projects", _new(**given))

    bad = [name for name, value in given.items() if value < START.isoformat()]
    if bad:
        assert response.status_code == 422, response.content
        assert [e["field"] for e in response.json()["errors"]] == bad
        assert not Project.objects.exists()
    else:
        assert response.status_code == 201, response.content


def test_the_service_refuses_a_code_taken_by_case_only_but_not_its_own_in_another_case(
    users: dict[str, Any], make_project: Any
) -> None:
    make_project(code="DUP")
    mine = make_project(code="old")

    with pytest.raises(FieldError) as raised:
        services.update_project(actor=users["admin"], project=mine, data={"code": "Dup"}, version=1)
    assert (raised.value.field, raised.value.message) == (
        "code",
        "project “DUP” exists already: codes may not differ by case only",
    )

    services.update_project(actor=users["admin"], project=mine, data={"code": "OLD"}, version=1)
    assert sorted(Project.objects.values_list("code", flat=True)) == ["DUP", "OLD"]

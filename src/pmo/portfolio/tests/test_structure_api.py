"""Portfolios and programs through the API: a new organisation files its first project without
the admin site; codes, names, permissions, versions and the audit trail."""

import json

import pytest

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.portfolio.models import Portfolio, Program


@pytest.fixture
def call(client, users):
    def _call(method, url, body=None, *, user="member"):
        headers = {"Authorization": f"Bearer {create_token(username=users[user].username)}"}
        if body is None:
            return getattr(client, method)(url, headers=headers)
        return getattr(client, method)(
            url, json.dumps(body), content_type="application/json", headers=headers
        )

    return _call


def test_a_new_organisation_files_its_first_project_through_the_api(call, users):
    # given an empty database apart from people and org units
    assert not Portfolio.objects.exists()

    # when the PMO creates a portfolio, a program in it and a project in both
    made = call("post", "/api/v1/portfolios", {"code": "MAIN", "name": "Main", "name_zh": "主"})
    program = call(
        "post",
        "/api/v1/programs",
        {"code": "ERP", "name": "ERP", "portfolio": "MAIN", "manager": users["pm"].person.pk},
    )
    project = call(
        "post",
        "/api/v1/projects",
        {
            "code": "ERP-1",
            "name": "ERP roll-out",
            "portfolio": "MAIN",
            "program": "ERP",
            "pmo_type": "business",
            "org_unit": "sh",
            "start_date": "2027-01-04",
            "planned_finish": "2027-06-30",
        },
    )

    # then each is created and the lists count what is filed in them
    assert made.status_code == 201, made.json()
    assert made.json()["name_zh"] == "主"
    assert program.status_code == 201, program.json()
    assert program.json()["portfolio"] == "MAIN"
    assert program.json()["manager_name"] == "Zhang Wei"
    assert project.status_code == 201, project.json()
    listed = call("get", "/api/v1/portfolios").json()["items"]
    assert [(p["code"], p["programs"], p["projects"]) for p in listed] == [("MAIN", 1, 1)]
    assert call("get", "/api/v1/programs?portfolio=MAIN").json()["items"][0]["projects"] == 1
    assert (
        AuditEvent.objects.filter(object_type="portfolio.portfolio", action="create").count() == 1
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"code": "strat", "name": "Again"}, "code", "case only"),
        ({"code": "STRAT", "name": "Again"}, "code", "exists already"),
        ({"code": "NEW", "name": "   "}, "name", "blank"),
        ({"code": "a b", "name": "Spaces"}, "code", ""),
        ({"code": "NEW", "name": "New", "colour": "red"}, "colour", ""),
    ],
)
def test_a_bad_portfolio_is_refused_naming_the_field(call, portfolio, body, field, words):
    response = call("post", "/api/v1/portfolios", body)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors][-1].endswith(field)
    assert words in response.json()["detail"]
    assert Portfolio.objects.count() == 1


def test_several_problems_of_a_program_come_in_one_answer(call, portfolio):
    response = call(
        "post",
        "/api/v1/programs",
        {"code": "core", "name": " ", "portfolio": "NOPE", "manager": 99999},
    )

    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == [
        "code",
        "manager",
        "name",
        "portfolio",
    ]
    assert Program.objects.count() == 2


def test_only_the_pmo_files_portfolios_and_programs(call, portfolio):
    for user in ("pm", "exec", "viewer"):
        refused = call("post", "/api/v1/portfolios", {"code": "X", "name": "X"}, user=user)
        assert refused.status_code == 403, user
        patch = call("patch", "/api/v1/programs/CORE", {"version": 1, "name": "Mine"}, user=user)
        assert patch.status_code == 403, user
    assert call("get", "/api/v1/programs/CORE", user="viewer").json()["name"] == "Core systems"
    assert not Portfolio.objects.filter(code="X").exists()
    assert Program.objects.get(code="CORE").name == "Core systems"


def test_a_portfolio_is_renamed_with_its_version_and_the_change_is_recorded(call, portfolio):
    stale = call("patch", "/api/v1/portfolios/STRAT", {"version": 7, "name": "Renamed"})
    renamed = call(
        "patch", "/api/v1/portfolios/STRAT", {"version": 1, "code": "STRATEGY", "name": "Renamed"}
    )

    assert stale.status_code == 409
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["code"] == "STRATEGY"
    assert renamed.json()["version"] == 2
    history = call("get", "/api/v1/portfolios/STRATEGY/audit").json()["items"]
    assert history[0]["changes"]["name"] == ["Strategic", "Renamed"]
    assert call("get", "/api/v1/portfolios/STRAT").status_code == 404


def test_a_program_with_projects_stays_in_its_portfolio(call, make_project, portfolio):
    Portfolio.objects.create(code="OTHER", name="Other")
    make_project()  # filed in STRAT / CORE

    moved = call("patch", "/api/v1/programs/CORE", {"version": 1, "portfolio": "OTHER"})
    empty = call("patch", "/api/v1/programs/DIGI", {"version": 1, "portfolio": "OTHER"})

    assert moved.status_code == 422
    assert "move them to the new portfolio first" in moved.json()["detail"]
    assert Program.objects.get(code="CORE").portfolio.code == "STRAT"
    assert empty.status_code == 200, empty.json()
    assert empty.json()["portfolio"] == "OTHER"


def test_a_program_manager_is_removed_with_null(call, users, portfolio):
    Program.objects.filter(code="CORE").update(manager=users["pm"].person)

    response = call("patch", "/api/v1/programs/CORE", {"version": 1, "manager": None})

    assert response.status_code == 200, response.json()
    assert response.json()["manager"] is None
    assert Program.objects.get(code="CORE").manager is None
